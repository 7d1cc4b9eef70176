import Northbound
import SyctlKit
import Testing

@Suite struct TableFormatterTests {
    @Test func alignsColumnsToTheWidestCell() {
        let table = TableFormatter.render(columns: ["NAME", "ID", "VNI"], rows: [["frontend", "sw-1", "1"], ["db", "sw-22222", "100"]])
        #expect(table == """
            NAME       ID         VNI
            frontend   sw-1       1
            db         sw-22222   100
            """)
    }

    @Test func anEmptyListIsJustTheHeader() {
        #expect(TableFormatter.render(columns: ["NAME", "ID"], rows: []) == "NAME   ID")
    }

    @Test func linesHaveNoTrailingSpaces() {
        let table = TableFormatter.render(columns: ["A", "LONGHEADER"], rows: [["wide-value", "x"]])
        #expect(table.split(separator: "\n").allSatisfy { $0.last != " " })
    }

    @Test func switchRowsShowTheTenantByName() {
        let logicalSwitch = LogicalSwitch(id: "sw-00000000000000a1", tenant: "tn-00000000000000b2", name: "frontend", cidr: "10.10.0.0/24",
                                          gateway: "10.10.0.1", mtu: 1450, vni: 7, labels: [:], revision: 3)
        #expect(LogicalSwitch.columns == ["NAME", "ID", "TENANT", "CIDR", "GATEWAY", "VNI", "MTU"])
        #expect(logicalSwitch.cells(names: NameDirectory(["tn-00000000000000b2": "acme"]))
            == ["frontend", "sw-00000000000000a1", "acme", "10.10.0.0/24", "10.10.0.1", "7", "1450"])
    }

    @Test func hostRowsShowTheAgentStatus() {
        let status = HostStatus(connected: true, lastSeen: "2030-01-02T03:04:05Z", ackedRevision: 42, errors: [])
        let host = Host(id: "hs-00000000000000a1", name: "hv-1", address: "192.0.2.11", role: .edge, labels: [:], revision: 4, status: status)
        #expect(Host.columns == ["NAME", "ID", "ADDRESS", "ROLE", "CONNECTED", "ACKED"])
        #expect(host.cells(names: NameDirectory()) == ["hv-1", "hs-00000000000000a1", "192.0.2.11", "edge", "true", "42"])
        var disconnected = host
        disconnected.status?.connected = false
        #expect(disconnected.cells(names: NameDirectory())[4] == "false")
    }

    @Test func hostRowsWithoutStatusShowDashes() {
        let host = Host(id: "hs-00000000000000a1", name: "hv-1", address: "192.0.2.11", role: .compute, labels: [:], revision: 4)
        #expect(host.cells(names: NameDirectory()) == ["hv-1", "hs-00000000000000a1", "192.0.2.11", "compute", "-", "-"])
    }

    @Test func unknownReferencesShowTheirIdAndMissingOnesADash() {
        let port = Port(id: "pt-1", tenant: "tn-1", switch: "sw-1", name: "web-1", mac: "02:00:00:00:00:01", ip: "10.10.0.2",
                        host: nil, labels: [:], revision: 1)
        #expect(port.cells(names: NameDirectory()) == ["web-1", "pt-1", "sw-1", "10.10.0.2", "02:00:00:00:00:01", "-"])
        #expect(port.referencedIDs.map(\.id) == ["sw-1"])
    }
}
