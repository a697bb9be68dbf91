import ServiceKit

public enum IntakePlaceholder {}
