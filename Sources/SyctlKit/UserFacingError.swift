/// A failure syctl reports as `error: <description>` on stderr with exit status 1.
public protocol UserFacingError: Error, CustomStringConvertible, Sendable {}
