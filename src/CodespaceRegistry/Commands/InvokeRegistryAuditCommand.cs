using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Security;
using CodespaceRegistry.Access;
using CodespaceRegistry.Audit;
using CodespaceRegistry.Devcontainer;
using CodespaceRegistry.Distribution;
using CodespaceRegistry.GitHub;
using CodespaceRegistry.Secrets;

namespace CodespaceRegistry.Commands
{
    /// <summary>
    /// <para type="synopsis">Audits, in one pass, what a codespace of a repository needs from registries: every secret set in the environment, and every image and Feature its dev container pulls (package access, secret set, pull check).</para>
    /// <para type="description">Checks every registry secret set in the environment (validity, findings) and every distinct image and Feature
    /// the dev container pulls (Find-RegistryReference): the package-access decision for GitHub Packages (Resolve-PackageAccess), whether a
    /// secret set covers it and, unless -SkipPull, a pull check as a codespace makes it (Test-RegistryAccess). One RegistryAuditResult per
    /// subject, in a fixed order, with its status, rule, message, fix, and the file, line and column that name it. Pipe the results to
    /// Export-RegistryAudit for SARIF or JSON; the module's Audit/CodespaceRegistry.Audit.Tests.ps1 runs the same audit under Pester.</para>
    /// <para type="link">Export-RegistryAudit</para>
    /// <para type="link">Find-RegistryReference</para>
    /// <para type="link">Test-RegistryAccess</para>
    /// </summary>
    /// <example>
    /// <code>Invoke-RegistryAudit</code>
    /// <para>Audits the repository in the current folder, for the repository GITHUB_REPOSITORY or its git remote names.</para>
    /// </example>
    /// <example>
    /// <code>Invoke-RegistryAudit -Path ~/src/web -Repository octo-org/web -SkipPull</code>
    /// <para>An offline audit: secret sets and package access rules only, no pull checks.</para>
    /// </example>
    /// <example>
    /// <code>Invoke-RegistryAudit | Where-Object Status -ne Passed | Format-List Subject, Status, Message, Fix</code>
    /// <para>What needs fixing, and how.</para>
    /// </example>
    /// <remarks>
    /// Invoke is the verb for running an audit; it changes nothing (it reads files and the environment, asks GitHub
    /// and the registries), so it has no -WhatIf. Results are written once the audit is done, in a fixed order.
    /// </remarks>
    [Cmdlet(VerbsLifecycle.Invoke, "RegistryAudit", DefaultParameterSetName = PathSet, HelpUri = "https://github.com/codespaceregistry/CodespaceRegistry#invoke-registryaudit")]
    [OutputType(typeof(RegistryAuditResult))]
    public sealed class InvokeRegistryAuditCommand : RepositoryPathCmdletBase
    {
        private readonly List<(string Input, string Resolved)> _paths = new List<(string, string)>();
        private GitHubClient? _gitHub;
        private RegistryClient? _registry;

        /// <summary>The codespace's repository, owner/name; by default GITHUB_REPOSITORY, else the remote (origin) in each folder's .git/config.</summary>
        [Parameter(Position = 1)]
        [ValidateNotNullOrEmpty]
        public string? Repository { get; set; }

        /// <summary>Leaves out the pull checks: an offline audit from the secret sets and the package access rules alone.</summary>
        [Parameter]
        public SwitchParameter SkipPull { get; set; }

        /// <summary>How many package decisions and pull checks run at once.</summary>
        [Parameter]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = 4;

        /// <summary>A GitHub token with read:packages; GH_TOKEN or GITHUB_TOKEN by default. Without one, GitHub package facts stay unknown.</summary>
        [Parameter]
        public SecureString? Token { get; set; }

        protected override void BeginProcessing()
        {
            if (Repository != null)
            {
                try { GitHubRepository.SplitFullName(Repository); }
                catch (RegistryException e) { ThrowTerminating(e, Repository); }
            }
        }

        protected override void ProcessRecord()
        {
            _paths.AddRange(ResolvePaths());
        }

        protected override void EndProcessing()
        {
            var repositories = new List<AuditedRepository>();
            foreach (var (input, resolved) in _paths)
            {
                var repository = Scan(input, resolved);
                if (repository != null) repositories.Add(repository);
            }

            var sets = EnvironmentSecretSets();
            var tester = SkipPull ? null : new RegistryAccessTester(_registry = CreateRegistryClient(new RegistryClientOptions(), noCache: false), CredentialResolver.WithAwsEndpoints(Clock, null, null));
            var auditor = new RegistryAuditor(Resolver(), tester, ThrottleLimit);
            var count = repositories.Sum(r => r.References.Count);
            WriteVerbose($"Auditing {sets.Count} secret set(s) and {count} image(s) and Feature(s) of {repositories.Count} folder(s){(SkipPull ? ", without pull checks" : "")}.");
            var progress = new ProgressRecord(1, "Invoke-RegistryAudit", $"Auditing {sets.Count + count} subjects");
            WriteProgress(progress);
            Running(ThrottleLimit);
            foreach (var result in Run(ct => auditor.AuditAsync(sets, repositories, ct))) WriteObject(result);
            progress.RecordType = ProgressRecordType.Completed;
            WriteProgress(progress);
            if (_registry != null) WriteVerbose($"{_registry.RoundTrips} HTTP round trips.");
        }

        /// <summary>One folder or devcontainer.json: its references, its repository and the folder results are relative to; null (and an error) when it cannot be audited.</summary>
        private AuditedRepository? Scan(string input, string resolved)
        {
            var references = new List<RegistryReference>();
            string root;
            try
            {
                root = DevcontainerScanner.RootOf(resolved);
                foreach (var configuration in DevcontainerScanner.FindConfigurations(resolved))
                {
                    WriteVerbose($"Reading {configuration}.");
                    var scan = DevcontainerScanner.Scan(configuration, root);
                    references.AddRange(scan.References);
                    foreach (var finding in scan.Findings)
                    {
                        if (finding.Severity == FindingSeverity.Information) WriteVerbose(finding.ToString());
                        else WriteWarning(finding.ToString());
                    }
                }
            }
            catch (RegistryException e)
            {
                WriteError(e, input);
                return null;
            }

            var repository = Repository ?? Environment.GetEnvironmentVariable("GITHUB_REPOSITORY") ?? GitRepositoryFolder.RepositoryOf(root);
            if (string.IsNullOrWhiteSpace(repository))
            {
                WriteError(new RegistryException("RepositoryRequired", ErrorKind.InvalidArgument,
                    $"No repository is known for '{root}': name the codespace's repository with -Repository owner/name (inside a codespace GITHUB_REPOSITORY names it; otherwise the folder's git remote does)."), input);
                return null;
            }
            try
            {
                var (owner, name) = GitHubRepository.SplitFullName(repository!);
                WriteVerbose($"Auditing {root} as a codespace of {owner}/{name}.");
                return new AuditedRepository(GitRepositoryFolder.FindWorkTree(root) ?? root, owner + "/" + name, references);
            }
            catch (RegistryException e)
            {
                WriteError(e, input);
                return null;
            }
        }

        /// <summary>The package access resolver, asking GitHub with the token when there is one; without one, GitHub package facts stay unknown.</summary>
        private PackageAccessResolver Resolver()
        {
            try
            {
                _gitHub = GitHubClient.Create(Token, Environment.GetEnvironmentVariable);
                WriteVerbose($"Package facts come from {_gitHub.ApiUrl}.");
                return new PackageAccessResolver(new GitHubPackageFactsSource(_gitHub));
            }
            catch (RegistryException e) when (e.ErrorId == GitHubErrorIds.TokenMissing)
            {
                return new PackageAccessResolver(null, e.Message);
            }
            catch (RegistryException e)
            {
                ThrowTerminating(e, null);
                throw;
            }
        }

        // Also when a terminating error or Ctrl+C skips EndProcessing.
        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _gitHub?.Dispose();
                _registry?.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
