import SyctlKit
import Testing

@Suite struct ClientConfigurationTests {
    @Test func flagsWinOverTheEnvironment() throws {
        let environment = ["SWITCHYARD_URL": "http://env:1", "SWITCHYARD_TOKEN": "env-token"]
        let configuration = try ClientConfiguration(url: "https://flag:2/", token: "flag-token", environment: environment)
        #expect(configuration.baseURL.absoluteString == "https://flag:2")
        #expect(configuration.token == "flag-token")
    }

    @Test func theEnvironmentWinsOverTheDefault() throws {
        let configuration = try ClientConfiguration(url: nil, token: nil, environment: ["SWITCHYARD_URL": "http://env:1", "SWITCHYARD_TOKEN": "t"])
        #expect(configuration.baseURL.absoluteString == "http://env:1")
        #expect(configuration.token == "t")
    }

    @Test func defaultsToTheLocalControllerWithoutToken() throws {
        let configuration = try ClientConfiguration(url: nil, token: nil, environment: [:])
        #expect(configuration.baseURL.absoluteString == ClientConfiguration.defaultURL)
        #expect(configuration.token == nil)
    }

    @Test(arguments: ["localhost:8080", "ftp://host", "http://"])
    func refusesAURLThatIsNotHTTP(url: String) {
        #expect(throws: SyctlError.self) { try ClientConfiguration(url: url, token: nil, environment: [:]) }
    }
}
