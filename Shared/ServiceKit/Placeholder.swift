/// Placeholder until the foundation issue fills this target.
enum ServiceKitPlaceholder {}
