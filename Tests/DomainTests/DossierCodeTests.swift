import Domain
import Foundation
import Testing

@Suite struct DossierCodeTests {
    @Test func formatsAgencyDateAndFourDigitSequence() throws {
        let code = try DossierCode(agency: "H01.40.23", date: day("2026-03-05"), sequence: 7)
        #expect(code.value == "H01.40.23-260305-0007")
        #expect(code.description == code.value)
    }

    @Test func padsTheSequenceToFourDigits() throws {
        let date = day("2026-12-31")
        #expect(try DossierCode(agency: "G22.47", date: date, sequence: 1).value == "G22.47-261231-0001")
        #expect(try DossierCode(agency: "G22.47", date: date, sequence: 42).value == "G22.47-261231-0042")
        #expect(try DossierCode(agency: "G22.47", date: date, sequence: 9999).value == "G22.47-261231-9999")
    }

    @Test func parsesItsParts() throws {
        let code = try DossierCode(parsing: "000.00.19.H01-250101-0123")
        #expect(code.agency == "000.00.19.H01")
        #expect(code.date == day("2025-01-01"))
        #expect(code.sequence == 123)
    }

    @Test func parsingAndFormattingRoundTrip() throws {
        for text in ["H01.40.23-260305-0007", "G22.47-000229-9999", "000.00.19.H01-991231-0001", "X-270206-0500"] {
            #expect(try DossierCode(parsing: text).value == text)
        }
        let built = try DossierCode(agency: "H01.40.23", date: day("2027-02-06"), sequence: 15)
        #expect(try DossierCode(parsing: built.value) == built)
    }

    @Test func readsTheTwoDigitYearAsTwentyYY() throws {
        #expect(try DossierCode(parsing: "H01-000101-0001").date == day("2000-01-01"))
        #expect(try DossierCode(parsing: "H01-991231-0001").date == day("2099-12-31"))
    }

    @Test(arguments: [
        "h01.40.23-260305-0007",  // lowercase agency
        "H01..23-260305-0007",  // empty segment
        ".H01-260305-0007",  // leading dot
        "H01.-260305-0007",  // trailing dot
        "-260305-0007",  // no agency
        "H01 40-260305-0007",  // space
        "Đ01.40-260305-0007",  // non-ASCII letter
        "H01.40.23.ABCDEFGHI-260305-0007",  // segment longer than 8
        "A.B.C.D.E.F.G-260305-0007",  // more than 6 segments
        "H01.40.23-260230-0007",  // 30 February
        "H01.40.23-261301-0007",  // month 13
        "H01.40.23-260300-0007",  // day 0
        "H01.40.23-20260305-0007",  // four-digit year
        "H01.40.23-2603O5-0007",  // letter O in the date
        "H01.40.23-260305-007",  // three-digit sequence
        "H01.40.23-260305-00007",  // five-digit sequence
        "H01.40.23-260305-0000",  // sequence zero
        "H01.40.23-260305-+007",  // sign in the sequence
        "H01.40.23-260305",  // no sequence
        "H01.40.23-260305-0007-1",  // extra part
        " H01.40.23-260305-0007",  // surrounding space
        "",
    ])
    func rejectsMalformedText(_ text: String) {
        #expect {
            try DossierCode(parsing: text)
        } throws: { error in
            (error as? DomainError)?.code == "invalid_dossier_code"
        }
    }

    @Test func explainsTheFormatInVietnamese() {
        do {
            _ = try DossierCode(parsing: "H01-2603-7")
            Issue.record("parsed a malformed code")
        } catch let error as DomainError {
            #expect(error.message.contains("“H01-2603-7”"))
            #expect(error.message.contains("<mã cơ quan>-<yymmdd>-<số thứ tự 4 chữ số>"))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func rejectsABadAgencyWhenBuilt() {
        for agency in ["", "h01", "H01.", "H-01", "H01 40", "ABCDEFGHIJKLMNOPQRSTUVWXYZ.1234567"] {
            #expect {
                try DossierCode(agency: agency, date: day("2026-03-05"), sequence: 1)
            } throws: { ($0 as? DomainError)?.code == "invalid_agency_code" }
        }
    }

    @Test func rejectsASequenceOutsideOneToNineThousandNineHundredNinetyNine() {
        for sequence in [0, -1, 10_000] {
            #expect {
                try DossierCode(agency: "H01.40.23", date: day("2026-03-05"), sequence: sequence)
            } throws: { ($0 as? DomainError)?.code == "invalid_dossier_sequence" }
        }
    }

    @Test func rejectsADateTheTwoDigitYearCannotName() {
        for iso in ["1999-12-31", "2100-01-01"] {
            #expect {
                try DossierCode(agency: "H01.40.23", date: day(iso), sequence: 1)
            } throws: { ($0 as? DomainError)?.code == "invalid_dossier_date" }
        }
    }

    @Test func encodesAsItsString() throws {
        let code = try DossierCode(parsing: "H01.40.23-260305-0007")
        let json = String(decoding: try JSONEncoder().encode([code]), as: UTF8.self)
        #expect(json == #"["H01.40.23-260305-0007"]"#)
        #expect(try JSONDecoder().decode([DossierCode].self, from: Data(json.utf8)) == [code])
    }

    @Test func refusesToDecodeAMalformedCode() {
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([DossierCode].self, from: Data(#"["H01.40.23-260305-7"]"#.utf8))
        }
    }
}
