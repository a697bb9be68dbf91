import Domain
import Foundation
import Testing

@testable import Events

@Suite struct EventCatalogueTests {
    static let services: Set = ["intake", "digitization", "payment", "communication", "reporting"]

    @Test func everyTopicOfTheArchitectureIsInTheCatalogueOnce() {
        let topics = EventCatalogue.all.map(\.topic)
        #expect(Set(topics).count == topics.count)
        #expect(
            Set(topics) == [
                "dossier.received", "dossier.status_changed", "dossier.supplement_requested", "dossier.refused",
                "dossier.withdrawn", "dossier.apologised", "dossier.result_returned", "dossier.digitized",
                "result.issued", "copy.certified", "payment.requested", "payment.settled", "payment.refunded",
                "feedback.received", "feedback.answered", "campaign.activity_recorded", "rating.submitted",
                "report.published", "unit.registered",
            ])
    }

    @Test func producersAndConsumersAreServices() {
        for entry in EventCatalogue.all {
            #expect(!entry.type.producers.isEmpty, "\(entry.topic) has no producer")
            #expect(Set(entry.type.producers).isSubset(of: Self.services), "\(entry.topic)")
            #expect(Set(entry.type.consumers).isSubset(of: Self.services), "\(entry.topic)")
        }
    }

    @Test func topicsConsumedByAServiceFollowTheCatalogue() {
        #expect(
            EventCatalogue.topics(consumedBy: "intake") == [
                "dossier.status_changed", "dossier.digitized", "result.issued", "copy.certified", "payment.requested", "payment.settled",
                "payment.refunded",
            ])
        #expect(EventCatalogue.topics(consumedBy: "payment") == ["dossier.received", "unit.registered"])
    }
}
