import CNIPlugin
import Foundation
import LocalAPI
import Testing

/// The plugin's side of the spec with literal environments and stdin, the agent answered by a
/// closure: what it asks the agent, what it prints, and its error codes. The end-to-end harness
/// (`EndToEndTests/CNITests`) runs the binary against real agents.
@Suite struct CNIPluginTests {
    final class Recorder: @unchecked Sendable {
        var requests: [(String, LocalAPIRequest)] = []
    }

    static let config = #"{"cniVersion":"1.0.0","name":"front","type":"switchyard-cni","tenant":"acme","switch":"web","cluster":"kube1","socket":"/run/sy/hv1.sock"}"#

    static let interface = WorkloadInterface(port: "pt-1", interfaceName: "eth0", namespace: "netns-1", mac: "02:00:00:00:00:05",
                                             ip: "10.0.0.5/24", gateway: "10.0.0.1", mtu: 1450, hostInterface: "sypt-1",
                                             hostMAC: "02:00:00:00:00:99")

    func run(_ environment: [String: String], _ stdin: String = config,
             answer: @escaping @Sendable (LocalAPIRequest) throws -> LocalAPIResponse = { _ in LocalAPIResponse(interfaces: [interface]) })
        -> (output: [String: Any], status: Int32, recorder: Recorder) {
        let recorder = Recorder()
        let plugin = CNIPlugin { path, request in
            recorder.requests.append((path, request))
            return try answer(request)
        }
        let (text, status) = plugin.run(environment: environment, stdin: Array(stdin.utf8))
        let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
        return (object, status, recorder)
    }

    static let add = ["CNI_COMMAND": "ADD", "CNI_CONTAINERID": "3f2a9c1b0d4e77", "CNI_NETNS": "/run/netns/netns-1", "CNI_IFNAME": "eth0",
                      "CNI_ARGS": "IgnoreUnknown=1;K8S_POD_NAME=c1;IP=10.0.0.5;label.app=web", "CNI_PATH": "/usr/lib/cni"]

    @Test func addAsksTheAgentForThePortAndPrintsTheSpecResult() throws {
        let (output, status, recorder) = run(Self.add)
        #expect(status == 0)
        let (path, request) = try #require(recorder.requests.first)
        #expect(path == "/run/sy/hv1.sock")
        #expect(request.op == .add && request.namespace == "/run/netns/netns-1")
        #expect(request.owner == AttachmentOwner(runtime: "cni", containerID: "3f2a9c1b0d4e77", interfaceName: "eth0"))
        #expect(request.network == WorkloadNetwork(tenant: "acme", switch: "web", cluster: "kube1"))
        #expect(request.ip == "10.0.0.5" && request.defaultRoute == true)
        #expect(request.labels == ["io.kubernetes.pod.name": "c1", "app": "web"])
        #expect(output["cniVersion"] as? String == "1.0.0")
        let interfaces = try #require(output["interfaces"] as? [[String: Any]])
        #expect(interfaces.count == 2 && interfaces[0]["sandbox"] == nil && interfaces[0]["name"] as? String == "sypt-1")
        #expect(interfaces[1]["name"] as? String == "eth0" && interfaces[1]["sandbox"] as? String == "/run/netns/netns-1")
        #expect(interfaces[1]["mac"] as? String == "02:00:00:00:00:05")
        let ips = try #require(output["ips"] as? [[String: Any]])
        #expect(ips.count == 1 && ips[0]["address"] as? String == "10.0.0.5/24" && ips[0]["gateway"] as? String == "10.0.0.1")
        #expect(ips[0]["interface"] as? Int == 1)
        #expect((output["routes"] as? [[String: Any]])?.first?["dst"] as? String == "0.0.0.0/0")
    }

    @Test func theResultNamesTheRoutersDNSServerAndTheTenantsZoneBeforeTheConfiguredSearch() throws {
        var served = Self.interface
        served.dns = WorkloadDNS(nameservers: ["10.0.0.1"], search: ["acme.switchyard.internal"])
        let config = Self.config.dropLast() + #","dns":{"nameservers":["192.0.2.53"],"search":["corp.example"],"options":["ndots:2"]}}"#
        let (output, status, _) = run(Self.add, String(config), answer: { [served] _ in LocalAPIResponse(interfaces: [served]) })
        #expect(status == 0)
        let dns = try #require(output["dns"] as? [String: Any])
        #expect(dns["nameservers"] as? [String] == ["10.0.0.1"])
        #expect(dns["search"] as? [String] == ["acme.switchyard.internal", "corp.example"])
        #expect(dns["options"] as? [String] == ["ndots:2"])
        // A switch without a router has no server: the configuration's DNS stands.
        let (plain, _, _) = run(Self.add, String(config))
        #expect((plain["dns"] as? [String: Any])?["nameservers"] as? [String] == ["192.0.2.53"])
    }

    @Test func aSecondNetworkLeavesTheDefaultRouteToTheFirst() throws {
        var environment = Self.add
        environment["CNI_IFNAME"] = "net1"
        let net1 = WorkloadInterface(port: "pt-2", interfaceName: "net1", namespace: "netns-1", mac: "02:00:00:00:00:06",
                                     ip: "10.1.0.5/24", gateway: "10.1.0.1", mtu: 1450, defaultRoute: false)
        let (output, status, recorder) = run(environment, answer: { _ in LocalAPIResponse(interfaces: [net1]) })
        #expect(status == 0 && recorder.requests.first?.1.defaultRoute == false)
        #expect((output["routes"] as? [Any])?.isEmpty == true)
    }

    @Test func versionListsWhatWeSpeakWithoutCallingTheAgent() {
        let (output, status, recorder) = run(["CNI_COMMAND": "VERSION", "CNI_IFNAME": "dummy", "CNI_NETNS": "dummy"], #"{"cniVersion":"1.0.0"}"#)
        #expect(status == 0 && recorder.requests.isEmpty)
        #expect(output["supportedVersions"] as? [String] == ["1.0.0", "1.1.0"] && output["cniVersion"] as? String == "1.0.0")
    }

    @Test func refusalsCarryTheSpecCodes() {
        #expect(run([:]).output["code"] as? Int == 4)
        var noNetns = Self.add
        noNetns["CNI_NETNS"] = nil
        let missing = run(noNetns)
        #expect(missing.status == 1 && missing.output["code"] as? Int == 4 && missing.recorder.requests.isEmpty)
        #expect(run(Self.add, "{not json").output["code"] as? Int == 6)
        let old = run(Self.add, #"{"cniVersion":"0.3.1","name":"front","tenant":"acme","switch":"web","cluster":"kube1"}"#)
        #expect(old.output["code"] as? Int == 1 && old.output["cniVersion"] as? String == "1.1.0")
        let incomplete = run(Self.add, #"{"cniVersion":"1.1.0","name":"front","tenant":"acme","cluster":"kube1"}"#)
        #expect(incomplete.output["code"] as? Int == 7 && (incomplete.output["msg"] as? String ?? "").contains("switch"))
        #expect(incomplete.output["cniVersion"] as? String == "1.1.0")
        let down = run(Self.add, answer: { _ in throw LocalAPIError(code: "unreachable", message: "no agent") })
        #expect(down.output["code"] as? Int == 11)
        let refused = run(Self.add, answer: { _ in throw LocalAPIError(code: "quota_exceeded", message: "ports: 10 of 10") })
        #expect(refused.output["code"] as? Int == 101 && refused.output["details"] as? String == "quota_exceeded")
        let foreign = run(Self.add, answer: { _ in throw LocalAPIError(code: "forbidden", message: "cluster: not one of its hosts") })
        #expect(foreign.output["code"] as? Int == 7)
    }

    @Test func delNeedsNoNamespaceAndStatusSaysWhenTheAgentIsAway() {
        let del = run(["CNI_COMMAND": "DEL", "CNI_CONTAINERID": "3f2a9c1b0d4e77", "CNI_IFNAME": "eth0"],
                      answer: { _ in LocalAPIResponse() })
        #expect(del.status == 0 && del.recorder.requests.first?.1.op == .remove)
        let status = run(["CNI_COMMAND": "STATUS"], answer: { _ in throw LocalAPIError(code: "unreachable", message: "no agent") })
        #expect(status.status == 1 && status.output["code"] as? Int == 50)
        let checked = run(["CNI_COMMAND": "CHECK", "CNI_CONTAINERID": "c", "CNI_NETNS": "/run/netns/n", "CNI_IFNAME": "eth0"],
                          answer: { _ in throw LocalAPIError(code: "interface_mismatch", message: "eth0 lacks its address") })
        #expect(checked.output["code"] as? Int == 100)
    }

    @Test func delReadsAPreviousResultWithoutItsEmptyLists() {
        // libcni (Go, omitempty) hands our result back without `routes` when it had none.
        let stdin = #"{"cniVersion":"1.0.0","name":"db","type":"switchyard-cni","prevResult":{"cniVersion":"1.0.0","interfaces":[{"name":"eth1","sandbox":"/run/netns/n"}],"ips":[{"address":"10.1.0.2/24","interface":0}],"dns":{}}}"#
        let del = run(["CNI_COMMAND": "DEL", "CNI_CONTAINERID": "c", "CNI_NETNS": "/run/netns/n", "CNI_IFNAME": "eth1"], stdin,
                      answer: { _ in LocalAPIResponse() })
        #expect(del.status == 0 && del.recorder.requests.first?.1.op == .remove)
        let garbled = #"{"cniVersion":"1.0.0","name":"db","prevResult":{"ips":"not a list"}}"#
        #expect(run(["CNI_COMMAND": "DEL", "CNI_CONTAINERID": "c", "CNI_IFNAME": "eth1"], garbled, answer: { _ in LocalAPIResponse() }).status == 0)
    }

    @Test func gcKeepsTheListedAttachmentsUnderEitherKey() {
        for key in ["cni.dev/valid-attachments", "cni.dev/attachments"] {
            let stdin = #"{"cniVersion":"1.1.0","name":"front","tenant":"acme","switch":"web","cluster":"kube1","\#(key)":[{"containerID":"c1","ifname":"eth0"}]}"#
            let (_, status, recorder) = run(["CNI_COMMAND": "GC"], stdin, answer: { _ in LocalAPIResponse() })
            #expect(status == 0)
            #expect(recorder.requests.first?.1.op == .collect && recorder.requests.first?.1.runtime == "cni")
            #expect(recorder.requests.first?.1.keep == [AttachmentOwner(runtime: "cni", containerID: "c1", interfaceName: "eth0")])
        }
    }
}
