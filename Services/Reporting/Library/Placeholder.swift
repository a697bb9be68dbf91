import ServiceKit

public enum ReportingPlaceholder {}
