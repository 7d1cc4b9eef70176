import Agent
import PKI
import Testing

@Suite struct ControllerAddressTests {
    @Test func parsesNamesAndAddressesAndWritesThemBack() throws {
        for text in ["controller.example:7443", "10.0.0.1:1", "[fd00::1]:65535"] {
            #expect(try ControllerAddress(parsing: text).description == text)
        }
        let address = try ControllerAddress(parsing: "[fd00::1]:7443")
        #expect(address.host == "fd00::1")
        #expect(address.port == 7443)
    }

    @Test(arguments: ["controller", "controller:", ":7443", "controller:0", "controller:65536", "fd00::1:7443", "[10.0.0.1]:7443", "a b:1", "host:+1"])
    func refusesMalformedAddresses(_ text: String) {
        #expect(throws: AgentError.self) { try ControllerAddress(parsing: text) }
    }

    @Test func takesTheJoinStringsControllersInOrder() throws {
        let join = try JoinString(parsing: "[fd00::1]:7443,c2:7444/\(String(repeating: "ab", count: 32))/sha256:\(String(repeating: "cd", count: 32))")
        #expect(ControllerAddress.all(in: join) == [try ControllerAddress(host: "fd00::1", port: 7443), try ControllerAddress(host: "c2", port: 7444)])
        #expect(try ControllerAddress.list(parsing: "c1:7443, [fd00::2]:7443") == [try ControllerAddress(host: "c1", port: 7443),
                                                                                   try ControllerAddress(host: "fd00::2", port: 7443)])
    }
}
