/// How a dossier reached the one-stop shop (DOMAIN §2: trực tiếp, trực tuyến, bưu chính công ích).
public enum DossierChannel: String, Codable, Sendable, CaseIterable {
    case counter
    case online
    case post
}
