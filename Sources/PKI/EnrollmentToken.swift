import Crypto
import Foundation

/// A one-time bootstrap token that lets one host enroll and receive its certificate.
///
/// The operator hands the ``secret`` to the agent (inside a ``JoinString``); the controller
/// stores only ``secretHash`` and ``expiresAt``, and deletes the token once it is used.
/// The secret is random, not chosen by people, so a fast hash is enough.
public struct EnrollmentToken: Hashable, Sendable {
    /// The host this token may enroll.
    public let host: String
    /// 32 random bytes in lower-case hex; shown once and never stored by the controller.
    public let secret: String
    /// ``hash(_:)`` of ``secret``, the value to store.
    public let secretHash: String
    /// The instant after which the token is refused.
    public let expiresAt: Date

    /// How long a token is valid when the operator does not say.
    public static let defaultTimeToLive: TimeInterval = 24 * 60 * 60

    /// A fresh token for `host`, valid for `ttl` seconds from `now`.
    /// - Throws: ``PKIError/invalidHostName(_:)``, or ``PKIError/invalidValidity(seconds:)`` when `ttl` is not positive.
    public static func make(host: String, ttl: TimeInterval = defaultTimeToLive, now: Date = Date()) throws -> EnrollmentToken {
        guard HostIdentity.isValidHostName(host) else { throw PKIError.invalidHostName(host) }
        guard ttl > 0 else { throw PKIError.invalidValidity(seconds: ttl) }
        var generator = SystemRandomNumberGenerator()
        let secret = Hex.encode((0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) })
        return EnrollmentToken(host: host, secret: secret, secretHash: hash(secret), expiresAt: now.addingTimeInterval(ttl))
    }

    /// The SHA-256 of a secret in lower-case hex; compare it with the stored hash.
    public static func hash(_ secret: String) -> String {
        Hex.encode(SHA256.hash(data: Array(secret.utf8)))
    }

    /// Whether a secret has the shape of a token secret (64 lower-case hex digits).
    public static func isWellFormedSecret(_ secret: String) -> Bool {
        secret.utf8.count == 64 && Hex.decode(secret) != nil
    }

    /// Whether the token can no longer be used at `now`.
    public func isExpired(now: Date = Date()) -> Bool {
        now >= expiresAt
    }
}
