import Domain
import Foundation

/// `rating.submitted`: a citizen rated the handling of a dossier (intake) or of a feedback
/// (communication); KPIs 14 and 15.
public struct RatingSubmitted: Event {
    public static let topic = "rating.submitted"
    public static let version = 1
    public static let producers = ["intake", "communication"]
    public static let consumers = ["reporting"]

    /// What was rated.
    public enum Subject: String, Codable, Sendable {
        case dossier, feedback
    }

    public var ratingId: String
    public var subject: Subject
    /// The dossier code or the feedback id.
    public var subjectId: String
    /// 1 (very dissatisfied) to 5 (very satisfied).
    public var score: Int
    public var comment: String?
    public var submittedAt: Date

    /// Satisfied means 4 or 5 (hài lòng, rất hài lòng).
    public var isSatisfied: Bool { score >= 4 }

    public init(ratingId: String, subject: Subject, subjectId: String, score: Int, comment: String?, submittedAt: Date)
    {
        self.ratingId = ratingId
        self.subject = subject
        self.subjectId = subjectId
        self.score = score
        self.comment = comment
        self.submittedAt = submittedAt
    }
}
