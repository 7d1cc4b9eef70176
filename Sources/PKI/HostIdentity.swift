import X509

/// Who a certificate speaks for: the host named in its subject common name.
///
/// The server calls ``hostName(of:)`` on a peer certificate that TLS already verified against
/// the CA; the CA put the host name there at enrollment, so the name is the host's identity.
public enum HostIdentity {
    /// The host named by the certificate's subject common name.
    /// - Throws: ``PKIError/certificateNamesNoHost`` when there is no common name or it is not a valid host name.
    public static func hostName(of certificate: Certificate) throws -> String {
        let commonNames = certificate.subject.flatMap { $0 }
            .filter { $0.type == .RDNAttributeType.commonName }
            .compactMap { String($0.value) }
        guard commonNames.count == 1, let name = commonNames.first, isValidHostName(name) else {
            throw PKIError.certificateNamesNoHost
        }
        return name
    }

    /// The certificate's serial number in lower-case hex: what the controller records per host,
    /// so that only the most recently issued certificate of a host is accepted.
    public static func serial(of certificate: Certificate) -> String {
        Hex.encode(certificate.serialNumber.bytes)
    }

    /// Host names follow the same rule as resource names in the northbound API (`[a-z0-9-]`,
    /// 1 to 63 characters, no leading or trailing `-`), so a host's certificate and its
    /// `Host` object always agree on spelling.
    public static func isValidHostName(_ name: String) -> Bool {
        guard (1...63).contains(name.utf8.count), name.first != "-", name.last != "-" else { return false }
        return name.utf8.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || byte == UInt8(ascii: "-")
        }
    }
}
