import ServiceKit

public enum DigitizationPlaceholder {}
