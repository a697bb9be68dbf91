import ServiceKit

public enum PaymentPlaceholder {}
