import Domain
import Foundation

/// `campaign.activity_recorded`: one activity of a communication campaign took place, with its reach
/// (the plan asks for at least one campaign a quarter).
public struct CampaignActivityRecorded: Event {
    public static let topic = "campaign.activity_recorded"
    public static let version = 1
    public static let producers = ["communication"]
    public static let consumers = ["reporting"]

    /// The activity's form (hình thức tuyên truyền).
    public enum Form: String, Codable, Sendable, CaseIterable {
        case news, banner, panel, leaflet, meeting
    }

    public var campaignId: String
    public var activityId: String
    public var form: Form
    public var heldOn: LocalDate
    /// People reached (attendees, leaflets handed out, estimated readers).
    public var reach: Int

    public init(campaignId: String, activityId: String, form: Form, heldOn: LocalDate, reach: Int) {
        self.campaignId = campaignId
        self.activityId = activityId
        self.form = form
        self.heldOn = heldOn
        self.reach = reach
    }
}
