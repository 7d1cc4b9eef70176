import Foundation
import PKI
import Testing

@Suite struct EnrollmentTokenTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func hashIsTheHexSHA256OfTheSecret() {
        #expect(EnrollmentToken.hash("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(EnrollmentToken.hash("abc") == EnrollmentToken.hash("abc"))
        #expect(EnrollmentToken.hash("abc") != EnrollmentToken.hash("abd"))
    }

    @Test func madeTokenStoresTheHashOfItsSecret() throws {
        let token = try EnrollmentToken.make(host: "hv1", ttl: 60, now: now)
        #expect(token.host == "hv1")
        #expect(EnrollmentToken.isWellFormedSecret(token.secret))
        #expect(token.secretHash == EnrollmentToken.hash(token.secret))
        #expect(token.secretHash != token.secret)
        #expect(try EnrollmentToken.make(host: "hv1", ttl: 60, now: now).secret != token.secret)
    }

    @Test func tokenExpiresAtTheEndOfItsTimeToLive() throws {
        let token = try EnrollmentToken.make(host: "hv1", ttl: 60, now: now)
        #expect(!token.isExpired(now: now))
        #expect(!token.isExpired(now: now.addingTimeInterval(59)))
        #expect(token.isExpired(now: now.addingTimeInterval(60)))
        #expect(token.isExpired(now: now.addingTimeInterval(3600)))
    }

    @Test func tokenNeedsAValidHostAndAPositiveLifetime() {
        #expect(throws: PKIError.invalidHostName("Bad Host")) { try EnrollmentToken.make(host: "Bad Host") }
        #expect(throws: PKIError.invalidValidity(seconds: 0)) { try EnrollmentToken.make(host: "hv1", ttl: 0) }
    }
}
