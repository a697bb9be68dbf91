/// Collects a form's fields written one per line, with `if` and `for` allowed between them.
@resultBuilder
public enum FieldsBuilder {
    public static func buildExpression(_ field: HTML) -> [HTML] { [field] }
    public static func buildExpression(_ fields: [HTML]) -> [HTML] { fields }
    public static func buildBlock(_ parts: [HTML]...) -> [HTML] { parts.flatMap { $0 } }
    public static func buildOptional(_ part: [HTML]?) -> [HTML] { part ?? [] }
    public static func buildEither(first part: [HTML]) -> [HTML] { part }
    public static func buildEither(second part: [HTML]) -> [HTML] { part }
    public static func buildArray(_ parts: [[HTML]]) -> [HTML] { parts.flatMap { $0 } }
}
