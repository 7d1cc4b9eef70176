import ArgumentParser
import Northbound
import SyctlKit

/// `syctl tenant create|token|apply-policy`.
struct TenantCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tenant", abstract: "Create tenants, issue their API tokens and apply their network policies.",
        subcommands: [Create.self, IssueToken.self, ApplyPolicy.self]
    )

    struct ApplyPolicy: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "apply-policy",
            abstract: "Create or update a tenant's network policies from a YAML file.",
            discussion: "Takes the operators' NetworkPolicy format (apiVersion extensions/v1) or Policy objects; see schemas/manifest.md."
        )

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The tenant (name or id).") var tenant: String
        @Option(name: .shortAndLong, help: "The policy file ('-' for standard input).") var file: String

        func run() async throws {
            let entries = try ManifestParser.parse(file: file)
            try await global.session().applyPolicies(tenant: tenant, entries) { Console.out($0) }
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a tenant.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The tenant's name.") var name: String
        @Option(help: "Quota limits, like 'switches 10, ports 1000, floating-ips 100' (also routers, policies, services).")
        var limit: String?
        @Option(help: "A label, key=value (repeatable).") var label: [String] = []

        func run() async throws {
            let quotas = try limit.map(QuotaLimitParser.parse)
            let body = TenantCreate(name: name, quotas: quotas, labels: try LabelParser.parse(label))
            Console.out(try await global.session().create(.tenant(body), as: Tenant.self))
        }
    }

    struct IssueToken: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "token",
            abstract: "Issue an API token for a tenant and print its secret (shown only once)."
        )

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The tenant (name or id).") var tenant: String
        @Option(help: "Narrow the token to one of the tenant's projects (name or id).") var project: String?

        func run() async throws {
            Console.out(try await global.session().issueToken(tenant: tenant, project: project))
        }
    }
}
