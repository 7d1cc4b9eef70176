import LocalAPI
import Agent
import Foundation
import Testing

/// The attachment store's journal: every answered attach or detach survives a restart, however
/// the journal and the snapshot were left.
@Suite struct AttachmentStoreTests {
    func withDirectory(_ body: (String) async throws -> Void) async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sy-attach-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        try await body(path)
    }

    func attachment(_ index: Int) -> PortAttachment {
        PortAttachment(port: "pt-\(index)", namespace: "ns-\(index)")
    }

    @Test func attachesAndDetachesSurviveRestartsAcrossCompactions() async throws {
        try await withDirectory { directory in
            let store = try AttachmentStore(stateDirectory: directory)
            for index in 0..<150 { _ = try await store.attach(attachment(index)) }
            for index in stride(from: 0, to: 150, by: 3) { _ = try await store.detach(port: "pt-\(index)") }
            let expected = (0..<150).filter { $0 % 3 != 0 }.map(attachment).sorted { $0.port < $1.port }
            #expect(await store.all == expected)
            // 200 changes for at most 150 attachments: the journal was folded into the snapshot at least once.
            let journalled = try String(contentsOfFile: directory + "/attachments.journal", encoding: .utf8).split(separator: "\n").count
            #expect(journalled < 200)

            let reopened = try AttachmentStore(stateDirectory: directory)
            #expect(await reopened.all == expected)
            #expect(!FileManager.default.fileExists(atPath: directory + "/attachments.journal"), "opening folds the journal in")
            #expect(await (try AttachmentStore(stateDirectory: directory)).all == expected)
        }
    }

    @Test func aRecordCutShortByACrashIsSkipped() async throws {
        try await withDirectory { directory in
            let store = try AttachmentStore(stateDirectory: directory)
            _ = try await store.attach(attachment(1))
            _ = try await store.attach(attachment(2))
            let journal = try #require(FileHandle(forWritingAtPath: directory + "/attachments.journal"))
            try journal.seekToEnd()
            try journal.write(contentsOf: Data(#"{"attach":{"port":"pt-3","namespace":"n"#.utf8))
            try journal.close()
            #expect(await (try AttachmentStore(stateDirectory: directory)).all == [attachment(1), attachment(2)])
        }
    }

    @Test func aJournalAlreadyInTheSnapshotReadsTheSame() async throws {
        try await withDirectory { directory in
            let store = try AttachmentStore(stateDirectory: directory)
            _ = try await store.attach(attachment(1))
            _ = try await store.detach(port: "pt-1")
            _ = try await store.attach(PortAttachment(port: "pt-1", namespace: "elsewhere"))
            _ = try await store.attach(attachment(2))
            let journal = try Data(contentsOf: URL(fileURLWithPath: directory + "/attachments.journal"))
            // A crash between writing the snapshot and removing the journal.
            _ = try AttachmentStore(stateDirectory: directory)
            try journal.write(to: URL(fileURLWithPath: directory + "/attachments.journal"))
            #expect(await (try AttachmentStore(stateDirectory: directory)).all
                == [PortAttachment(port: "pt-1", namespace: "elsewhere"), attachment(2)])
        }
    }
}
