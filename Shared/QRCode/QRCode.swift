import CQREncode
import Foundation

/// A QR code (ISO/IEC 18004) encoded by libqrencode, as a square of dark and light modules, drawn
/// as SVG: the printed receipt's link to the public lookup (TT 01/2018 allows a barcode or QR on it).
///
/// ```swift
/// let code = try QRCode(encoding: "https://motcua.example/tra-cuu?ma=H01.40.23-260305-0001")
/// let image = code.svgDataURI      // <img src="…"> under the pages' CSP (img-src data:)
/// ```
/// Its own target, so only a service that prints QR codes links libqrencode.
public struct QRCode: Sendable, Equatable {
    /// How much of the symbol may be damaged and still read (QR error-correction levels).
    public enum Correction: Sendable {
        /// About 7 %.
        case low
        /// About 15 %: enough for a printed slip.
        case medium
        /// About 25 %.
        case quartile
        /// About 30 %.
        case high

        var level: QRecLevel {
            switch self {
            case .low: QR_ECLEVEL_L
            case .medium: QR_ECLEVEL_M
            case .quartile: QR_ECLEVEL_Q
            case .high: QR_ECLEVEL_H
            }
        }
    }

    /// Modules per side (21 for version 1, 4 more per version).
    public let size: Int
    /// Row by row, `true` for a dark module.
    private let modules: [Bool]

    /// The smallest symbol holding `text`'s UTF-8 bytes; throws when it is empty, holds a NUL, or
    /// is too long for a QR code at `correction`.
    public init(encoding text: String, correction: Correction = .medium) throws(QRCodeError) {
        guard !text.isEmpty, !text.utf8.contains(0) else { throw QRCodeError(text: text, reason: "empty or NUL") }
        guard let symbol = QRcode_encodeString8bit(text, 0, correction.level) else {
            throw QRCodeError(text: text, reason: "libqrencode refused it (errno \(errno))")
        }
        defer { QRcode_free(symbol) }
        let width = Int(symbol.pointee.width)
        size = width
        // Bit 0 of each byte is the module's colour; the other bits say what the module is for.
        modules = (0..<(width * width)).map { symbol.pointee.data[$0] & 1 == 1 }
    }

    /// Whether the module in column `x` of row `y` is dark.
    public subscript(x: Int, y: Int) -> Bool { modules[y * size + x] }

    /// The symbol as an SVG document: one path of dark modules in a square of `size` + 2 × `quietZone`
    /// units on white, to be scaled by the page (crisp edges, so a camera and `zbarimg` read it).
    public func svg(quietZone: Int = 4) -> String {
        let side = size + 2 * quietZone
        var path = ""
        for y in 0..<size {
            var x = 0
            while x < size {
                guard self[x, y] else {
                    x += 1
                    continue
                }
                let start = x
                while x < size, self[x, y] { x += 1 }
                path += "M\(start + quietZone) \(y + quietZone)h\(x - start)v1h-\(x - start)z"
            }
        }
        return """
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(side) \(side)" shape-rendering="crispEdges">\
            <rect width="\(side)" height="\(side)" fill="#fff"/><path fill="#000" d="\(path)"/></svg>
            """
    }

    /// `svg()` as a `data:` URI, for an `<img>` under a Content-Security-Policy that allows `data:` images.
    public var svgDataURI: String {
        "data:image/svg+xml;base64," + Data(svg().utf8).base64EncodedString()
    }
}

/// A text a QR code cannot hold.
public struct QRCodeError: Error, Sendable, CustomStringConvertible {
    /// The first characters of the text.
    public let text: String
    public let reason: String

    init(text: String, reason: String) {
        self.text = String(text.prefix(40))
        self.reason = reason
    }

    public var description: String { "cannot encode “\(text)” as a QR code: \(reason)" }
}
