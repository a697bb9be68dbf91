import HTTP

/// A form as the server shows it: where it posts, the values to show again and the server's
/// messages, each placed beside the field it concerns.
///
/// ```swift
/// let form = Form(action: "/ho-so", values: posted, errors: problems, csrfToken: token)
/// form.render(submit: "Tiếp nhận") {
///     form.text("applicant.name", label: "Họ và tên", autocomplete: "name")
///     form.text("applicant.phone", label: "Số điện thoại", type: .tel)
/// }
/// ```
/// A field's `id` is its path with every character other than an ASCII letter, digit, `-` or `_` made a
/// `-` and prefixed with `f-` (`applicant.phone` → `f-applicant-phone`); its message has the same id
/// ending in `-error`, which `aria-describedby` names and the problem summary links to.
public struct Form: Sendable {
    /// The hidden field that carries the caller's CSRF token.
    public static let csrfFieldName = "_csrf"

    /// The path the form posts to.
    public var action: String
    /// Values to show in the fields, by field path (what was posted, or what is stored).
    public var values: [String: String]
    /// The server's messages; each is shown beside its field and listed in the summary.
    public var errors: [FieldError]
    /// The CSRF token to send back in the hidden `_csrf` field; nil leaves the field out.
    public var csrfToken: String?

    public init(action: String, values: [String: String] = [:], errors: [FieldError] = [], csrfToken: String? = nil) {
        self.action = action
        self.values = values
        self.errors = errors
        self.csrfToken = csrfToken
    }

    /// The `<form>`: the problem summary, the CSRF field, `fields` in order and the submit button.
    ///
    /// `novalidate` leaves checking to the server, so every message is the server's, in Vietnamese,
    /// and appears in the same place.
    public func render(submit label: String, @FieldsBuilder fields: () -> [HTML]) -> HTML {
        let csrf = csrfToken.map { hidden(Self.csrfFieldName, value: $0) }
        return """
            <form class="form" method="post" action="\(action)" novalidate>
            \(problemSummary())\(csrf)\(fields())\(submit(label))
            </form>
            """
    }

    /// The list of every message at the top of the form, each linking to its field; nothing when
    /// there are none.
    public func problemSummary() -> HTML? {
        guard !errors.isEmpty else { return nil }
        let items = errors.map { error -> HTML in
            guard !error.field.isEmpty else { return "<li>\(error.detail)</li>" }
            return "<li><a href=\"#\(Self.id(error.field))\">\(error.detail)</a></li>"
        }
        return """
            <div class="problem-summary" role="alert" aria-labelledby="problem-summary-title">
            <h2 id="problem-summary-title">Chưa gửi được: có \(errors.count) mục cần sửa</h2>
            <ul>\(items)</ul>
            </div>

            """
    }

    /// A one-line input with its label, optional hint and the server's message.
    ///
    /// A password field never shows a value back.
    public func text(
        _ name: String, label: String, hint: String? = nil, type: InputType = .text, autocomplete: String? = nil
    ) -> HTML {
        let value = type == .password ? nil : values[name]
        let control: HTML = """
            <input class="input" id="\(Self.id(name))" name="\(name)" type="\(type.rawValue)"\
            \(attribute("value", value))\(attribute("autocomplete", autocomplete))\(describedBy(name, hint: hint))>
            """
        return field(name, label: label, hint: hint, control: control)
    }

    /// A multi-line input with its label, optional hint and the server's message.
    ///
    /// The text starts on the line after the opening tag: the parser drops that first line break,
    /// so a value that itself begins with one keeps it.
    public func textArea(_ name: String, label: String, hint: String? = nil, rows: Int = 4) -> HTML {
        let control: HTML = """
            <textarea class="textarea" id="\(Self.id(name))" name="\(name)" rows="\(rows)"\(describedBy(name, hint: hint))>
            \(values[name])</textarea>
            """
        return field(name, label: label, hint: hint, control: control)
    }

    /// A drop-down list; the option whose value is the field's current value is selected.
    public func select(_ name: String, label: String, options: [SelectOption], hint: String? = nil) -> HTML {
        let current = values[name]
        let choices = options.map { option -> HTML in
            let selected: HTML? = option.value == current ? " selected" : nil
            return "<option value=\"\(option.value)\"\(selected)>\(option.label)</option>"
        }
        let control: HTML = """
            <select class="select" id="\(Self.id(name))" name="\(name)"\(describedBy(name, hint: hint))>\(choices)</select>
            """
        return field(name, label: label, hint: hint, control: control)
    }

    /// A value sent back unchanged and not shown.
    public func hidden(_ name: String, value: String) -> HTML {
        "<input type=\"hidden\" name=\"\(name)\" value=\"\(value)\">\n"
    }

    /// The button that sends the form.
    public func submit(_ label: String) -> HTML {
        "<div class=\"form-actions\"><button class=\"button\" type=\"submit\">\(label)</button></div>"
    }

    /// The `id` of the control for field path `name` (see the type's documentation).
    public static func id(_ name: String) -> String {
        let safe = name.unicodeScalars.map { scalar -> Character in
            let keep =
                scalar.isASCII
                && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)
                    || scalar == "-" || scalar == "_")
            return keep ? Character(scalar) : "-"
        }
        return "f-" + String(safe)
    }

    /// The server's messages for field `name`, in the order given.
    public func messages(for name: String) -> [String] {
        errors.filter { $0.field == name }.map(\.detail)
    }

    /// Label, hint, message and control, in the order a reader (and a screen reader) meets them.
    private func field(_ name: String, label: String, hint: String?, control: HTML) -> HTML {
        let id = Self.id(name)
        let messages = messages(for: name)
        let hintText: HTML? = hint.map { "<p class=\"field-hint\" id=\"\(id)-hint\">\($0)</p>\n" }
        let message: HTML? =
            messages.isEmpty
            ? nil
            : """
            <p class="field-error" id="\(id)-error"><span class="visually-hidden">Lỗi: </span>\
            \(messages.joined(separator: " "))</p>

            """
        let fieldClass: HTML = messages.isEmpty ? "field" : "field field--error"
        return """
            <div class="\(fieldClass)">
            <label class="label" for="\(id)">\(label)</label>
            \(hintText)\(message)\(control)
            </div>

            """
    }

    /// `aria-describedby` naming the hint and the message that exist, and `aria-invalid` with a message.
    private func describedBy(_ name: String, hint: String?) -> HTML {
        let id = Self.id(name)
        let invalid = !messages(for: name).isEmpty
        let ids = (hint == nil ? [] : ["\(id)-hint"]) + (invalid ? ["\(id)-error"] : [])
        let invalidAttribute: HTML? = invalid ? " aria-invalid=\"true\"" : nil
        return "\(attribute("aria-describedby", ids.isEmpty ? nil : ids.joined(separator: " ")))\(invalidAttribute)"
    }

    /// ` name="value"`, or nothing when there is no value.
    private func attribute(_ name: StaticString, _ value: String?) -> HTML {
        guard let value else { return .empty }
        return " \(raw: name.description)=\"\(value)\""
    }
}
