import Domain
import Foundation

/// `report.published`: a periodic report was finalized; reporting's leased consumer delivers it to
/// the province centre.
public struct ReportPublished: Event {
    public static let topic = "report.published"
    public static let version = 1
    public static let producers = ["reporting"]
    public static let consumers = ["reporting"]

    /// The report's period (kỳ báo cáo) with its legal data cut-off (DOMAIN §5).
    public enum Period: String, Codable, Sendable, CaseIterable {
        case month, quarter, firstHalf = "first_half", secondHalf = "second_half", year
    }

    public var reportId: String
    public var period: Period
    public var year: Int
    /// The month or quarter number; nil for half-years and years.
    public var number: Int?
    public var cutOffFrom: LocalDate
    public var cutOffTo: LocalDate
    /// SHA-256 of the report's canonical document, hex: what the centre checks.
    public var digest: String
    public var publishedAt: Date

    public init(
        reportId: String, period: Period, year: Int, number: Int?, cutOffFrom: LocalDate, cutOffTo: LocalDate,
        digest: String, publishedAt: Date
    ) {
        self.reportId = reportId
        self.period = period
        self.year = year
        self.number = number
        self.cutOffFrom = cutOffFrom
        self.cutOffTo = cutOffTo
        self.digest = digest
        self.publishedAt = publishedAt
    }
}
