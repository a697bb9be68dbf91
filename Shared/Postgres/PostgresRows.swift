/// The rows a statement returned, copied out of libpq's result so they outlive it.
public struct PostgresRows: Sendable, RandomAccessCollection {
    /// Column names in result order.
    public let columns: [String]
    /// Rows affected by an INSERT, UPDATE, DELETE or COPY (0 for others).
    public let affectedRows: Int
    let cells: [[String?]]

    init(columns: [String], cells: [[String?]], affectedRows: Int) {
        self.columns = columns
        self.cells = cells
        self.affectedRows = affectedRows
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { cells.count }
    public subscript(position: Int) -> PostgresRow { PostgresRow(columns: columns, values: cells[position]) }

    /// The only row, or an error if there is none or more than one.
    public func single() throws(PostgresError) -> PostgresRow {
        guard count == 1 else {
            throw PostgresError(kind: .usage, message: "expected exactly one row, got \(count)")
        }
        return self[0]
    }
}

/// One result row; read it with `decode`.
public struct PostgresRow: Sendable {
    public let columns: [String]
    let values: [String?]

    /// Whether the column at `index` is SQL NULL.
    public func isNull(_ index: Int) -> Bool { values[index] == nil }

    /// The column at `index` as `T` (`T?` reads NULL as nil; other types reject NULL).
    public func decode<T: PostgresDecodable>(_ type: T.Type = T.self, at index: Int) throws(PostgresError) -> T {
        guard values.indices.contains(index) else {
            throw PostgresError(kind: .usage, message: "no column \(index); the row has \(values.count)")
        }
        guard let text = values[index] else { return try T.postgresNull() }
        do {
            return try T(postgresText: text)
        } catch {
            throw PostgresError(kind: .decoding, message: "column \(columns[index]): \(error.message)")
        }
    }

    /// The column named `column` as `T`.
    public func decode<T: PostgresDecodable>(_ type: T.Type = T.self, column: String) throws(PostgresError) -> T {
        guard let index = columns.firstIndex(of: column) else {
            throw PostgresError(kind: .usage, message: "no column named \(column); columns are \(columns)")
        }
        return try decode(type, at: index)
    }

    /// The leading columns as a tuple: `let (id, name) = try row.decode(Int64.self, String.self)`.
    public func decode<each T: PostgresDecodable>(_ types: repeat (each T).Type) throws -> (repeat each T) {
        var index = 0
        func next<U: PostgresDecodable>(_ type: U.Type) throws(PostgresError) -> U {
            defer { index += 1 }
            return try decode(type, at: index)
        }
        return (repeat try next((each T).self))
    }
}
