import Crypto

/// Bearer secrets: 32 random bytes in hex, stored only as their SHA-256.
/// The secrets are random, not chosen by people, so a fast hash is enough.
enum TokenSecret {
    static func make(admin: Bool) -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return (admin ? "sya_" : "syt_") + hex(bytes)
    }

    static func hash(_ secret: String) -> String {
        hex(Array(SHA256.hash(data: Array(secret.utf8))))
    }

    private static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { byte in
            let digits = String(byte, radix: 16)
            return digits.count == 1 ? "0" + digits : digits
        }.joined()
    }
}
