import HTML
import Testing

/// Escaping by default, raw only when asked.
@Suite struct HTMLTests {
    private let name = "<script>alert('x')</script> & \"Bình\""

    @Test func interpolatedTextIsEscaped() {
        let html: HTML = "<p>\(name)</p>"
        #expect(html.rendered == "<p>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;Bình&quot;</p>")
    }

    @Test func interpolatedAttributeValueCannotLeaveItsQuotes() {
        let html: HTML = "<input value=\"\(name)\" title='\(name)'>"
        #expect(!html.rendered.contains("<script"))
        #expect(html.rendered.split(separator: "\"").count == 3)
        #expect(html.rendered.split(separator: "'").count == 3)
    }

    @Test func rawMarkupStaysRaw() {
        let svg = "<svg viewBox=\"0 0 1 1\"><rect width=\"1\" height=\"1\"/></svg>"
        let html: HTML = "<figure>\(raw: svg)</figure>"
        #expect(html.rendered == "<figure>\(svg)</figure>")
        #expect(HTML.raw(svg).rendered == svg)
    }

    @Test func fragmentsComposeWithoutBeingEscapedTwice() {
        let rows = ["An & Bình", "<Chi>"].map { person -> HTML in "<li>\(person)</li>" }
        let missing: HTML? = nil
        let note: String? = nil
        let html: HTML = "<ul>\(rows)</ul>\(missing)\(note)\(HTML(rows))"
        #expect(
            html.rendered
                == "<ul><li>An &amp; Bình</li><li>&lt;Chi&gt;</li></ul><li>An &amp; Bình</li><li>&lt;Chi&gt;</li>")
    }

    @Test func numbersAndOtherValuesAreWrittenByTheirDescription() {
        let pages = 3
        let html: HTML = "<td>\(pages)</td><td>\(name.prefix(8))</td>"
        #expect(html.rendered == "<td>3</td><td>&lt;script&gt;</td>")
    }
}
