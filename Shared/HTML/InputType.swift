/// The kinds of one-line input a form uses; each selects the keyboard a phone shows.
public enum InputType: String, Sendable {
    case text
    case tel
    case email
    case number
    case date
    case password
}
