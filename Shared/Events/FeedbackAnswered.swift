import Domain
import Foundation

/// `feedback.answered`: a feedback got its answer; reporting compares `answeredAt` with the due date.
public struct FeedbackAnswered: Event {
    public static let topic = "feedback.answered"
    public static let version = 1
    public static let producers = ["communication"]
    public static let consumers = ["reporting"]

    public var feedbackId: String
    public var dueDate: LocalDate
    public var answeredBy: String
    public var answeredAt: Date

    public init(feedbackId: String, dueDate: LocalDate, answeredBy: String, answeredAt: Date) {
        self.feedbackId = feedbackId
        self.dueDate = dueDate
        self.answeredBy = answeredBy
        self.answeredAt = answeredAt
    }
}
