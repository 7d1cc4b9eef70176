import Controller
import Foundation
import Northbound
import Southbound
import Testing

/// A host's compiled state is bounded: the API refuses what would grow a full host, with a clear
/// error, instead of the host's session breaking on a state too large to send.
@Suite(.serialized) struct HostStateBoundTests {
    @Test func portsThatWouldGrowAFullHostAreRefusedAndTheHostKeepsItsSession() async throws {
        let controller = try await TestController.start(maximumHostEntries: 12)
        defer { Task { await controller.stop() } }
        let tenant = try await controller.create("/v1/tenants", ["name": "acme"])
        let hv1 = try await controller.create("/v1/hosts", ["name": "hv1", "address": "198.18.0.11"])
        let hv2 = try await controller.create("/v1/hosts", ["name": "hv2", "address": "198.18.0.12"])
        let sw = try await controller.create("/v1/switches", ["tenant": tenant, "name": "web", "cidr": "10.0.0.0/24"])
        let other = try await controller.create("/v1/switches", ["tenant": tenant, "name": "db", "cidr": "10.1.0.0/24"])
        _ = try await controller.create("/v1/ports", ["switch": sw, "name": "local", "host": hv1])
        var created = 0
        var refusal: [String: Any] = [:]
        for index in 0..<40 {
            let (status, json) = try await controller.call(.post, "/v1/ports", body: ["switch": sw, "name": "p\(index)", "host": hv2])
            if status == 201 {
                created += 1
                continue
            }
            #expect(status == 409)
            refusal = json
            break
        }
        let error = try #require(refusal["error"] as? [String: Any])
        #expect(error["code"] as? String == "quota_exceeded")
        #expect(error["field"] as? String == "switch")
        #expect((error["message"] as? String)?.contains("12 entries") == true)
        #expect(created > 0 && created < 40)
        let entries = try #require(await controller.hub.compiledState(of: hv1)?.entryCount)
        #expect(entries >= 12 && entries < 12 + 3, "the bound holds, give or take the objects one port adds")
        // A switch that no full host holds still takes ports.
        _ = try await controller.create("/v1/ports", ["switch": other, "name": "elsewhere"])
        // A tenant may not bind ports at all: that answer comes first, whatever the host holds.
        let (_, token) = try await controller.call(.post, "/v1/tenants/\(tenant)/tokens", body: [:])
        let (status, refused) = try await controller.call(.post, "/v1/ports", body: ["switch": sw, "name": "mine", "host": hv2],
                                                         token: token["token"] as? String)
        #expect(status == 403, "\(refused)")
    }

    @Test func aRealizationWaitEndsOnTheAckNotOnAPollingTick() async throws {
        let controller = try await TestController.start()
        defer { Task { await controller.stop() } }
        let mark = await controller.hub.progressMark
        let started = ContinuousClock.now
        async let waited: Void = controller.hub.waitForProgress(beyond: mark, timeout: .seconds(5))
        try await Task.sleep(for: .milliseconds(200))
        _ = try await controller.create("/v1/tenants", ["name": "acme"])
        await waited
        let elapsed = ContinuousClock.now - started
        #expect(elapsed < .seconds(2), "woken by the applied revision")
        let quiet = ContinuousClock.now
        await controller.hub.waitForProgress(beyond: await controller.hub.progressMark, timeout: .milliseconds(300))
        #expect(ContinuousClock.now - quiet >= .milliseconds(290), "nothing happened: the wait ends at its timeout")
    }
}
