import ServiceKit

public enum CommunicationPlaceholder {}
