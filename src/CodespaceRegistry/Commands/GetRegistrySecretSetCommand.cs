using System.Collections.Generic;
using CodespaceRegistry.Commands.Completion;
using System.Linq;
using System.Management.Automation;
using System.Security;
using CodespaceRegistry.GitHub;
using CodespaceRegistry.Secrets;

namespace CodespaceRegistry.Commands
{
    /// <summary>
    /// <para type="synopsis">Finds the registry secret sets (&lt;ID&gt;_CONTAINER_REGISTRY_SERVER/_USER/_PASSWORD) a codespace sees, and what is wrong with them.</para>
    /// <para type="description">Without a level, reads the environment of this shell or codespace. With -Repository, -Organization or -User,
    /// reads the Codespaces secrets stored at that level through GitHub's API (names and policies only; GitHub never returns values);
    /// with -Repository, also the user and organization levels, and says which sets reach the repository and which one is effective.</para>
    /// <para type="description">Each set carries its findings (Id, Severity, Message, Fix): an incomplete set, a server that is not a registry,
    /// whitespace pasted into a value, an ECR token about to expire, a set split across levels. The default view shows whether each set is valid
    /// and its worst finding; (Get-RegistrySecretSet -Name ACME).Findings lists them all with their fixes. The password is a SecureString and is
    /// never printed unless you ask with -AsPlainText.</para>
    /// <para type="notes">A codespace sees secrets added after it started only once it is stopped and started again. GitHub never returns secret
    /// values, so sets read with -Repository, -Organization or -User have names and policies only.</para>
    /// <para type="link">Set-RegistrySecretSet</para>
    /// <para type="link">Test-RegistryAccess</para>
    /// <para type="link">Invoke-RegistryLogin</para>
    /// <para type="link">about_CodespaceRegistry</para>
    /// </summary>
    /// <example>
    /// <code>Get-RegistrySecretSet</code>
    /// <para>Lists every registry secret set in the environment of this shell or codespace, whether each is valid, and its worst finding.</para>
    /// </example>
    /// <example>
    /// <code>(Get-RegistrySecretSet -Name ACME).Findings</code>
    /// <para>Shows everything wrong with the set ACME, each with the fix.</para>
    /// </example>
    /// <example>
    /// <code>Get-RegistrySecretSet -Name ECR*</code>
    /// <para>The sets whose identifier starts with ECR; wildcards are allowed.</para>
    /// </example>
    /// <example>
    /// <code>Get-RegistrySecretSet -Repository octo-org/app</code>
    /// <para>Reads your, the repository's and its organization's Codespaces secrets through the GitHub API (with GH_TOKEN or GITHUB_TOKEN), and marks
    /// which sets reach octo-org/app and which one is effective.</para>
    /// </example>
    /// <example>
    /// <code>Get-RegistrySecretSet -Organization octo-org | Format-List Name, Visibility, SelectedRepositories, Findings</code>
    /// <para>An organization's sets and their access policies (the token needs admin:org).</para>
    /// </example>
    [Cmdlet(VerbsCommon.Get, "RegistrySecretSet", DefaultParameterSetName = EnvironmentSet, HelpUri = "https://github.com/codespaceregistry/CodespaceRegistry#get-registrysecretset")]
    [OutputType(typeof(RegistrySecretSet))]
    public sealed class GetRegistrySecretSetCommand : GitHubCmdletBase
    {
        public const string EnvironmentSet = "Environment";
        public const string RepositorySet = "Repository";
        public const string OrganizationSet = "Organization";
        public const string UserSet = "User";

        private readonly List<string> _names = new List<string>();

        /// <summary>Identifiers of the sets to return (the ID of ID_CONTAINER_REGISTRY_SERVER); wildcards allowed. Names also come from the pipeline ('ACME' | Get-RegistrySecretSet).</summary>
        [Parameter(Position = 0, ValueFromPipeline = true)]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(SecretSetNameCompleter))]
        [ValidateNotNullOrEmpty]
        public string[]? Name { get; set; }

        /// <summary>Adds a PlainTextPassword property to each set: the only way this module shows a password.</summary>
        [Parameter(ParameterSetName = EnvironmentSet)]
        public SwitchParameter AsPlainText { get; set; }

        /// <summary>A repository, owner/name: the sets at its level, its organization's and yours, decided for it.</summary>
        [Parameter(ParameterSetName = RepositorySet, Mandatory = true)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(RepositoryCompleter))]
        public string Repository { get; set; } = null!;

        /// <summary>With -Repository, the levels to read (all three by default); leave out those your token may not read.</summary>
        [Parameter(ParameterSetName = RepositorySet)]
        [ValidateSet("User", "Repository", "Organization")]
        public string[]? Level { get; set; }

        /// <summary>An organization's sets and their access policies (needs admin:org).</summary>
        [Parameter(ParameterSetName = OrganizationSet, Mandatory = true)]
        [ValidateNotNullOrEmpty]
        public string Organization { get; set; } = null!;

        /// <summary>Your user sets and the repositories selected for them (needs codespace or codespace:secrets).</summary>
        [Parameter(ParameterSetName = UserSet, Mandatory = true)]
        public SwitchParameter User { get; set; }

        /// <summary>A GitHub token; by default GH_TOKEN or GITHUB_TOKEN. GITHUB_API_URL names a GitHub Enterprise Server.</summary>
        [Parameter(ParameterSetName = RepositorySet)]
        [Parameter(ParameterSetName = OrganizationSet)]
        [Parameter(ParameterSetName = UserSet)]
        public SecureString? Token { get; set; }

        protected override void ProcessRecord()
        {
            if (Name != null) _names.AddRange(Name);
        }

        protected override void EndProcessing()
        {
            if (ParameterSetName == EnvironmentSet)
            {
                WriteMatching(EnvironmentSecretSets(), "this environment. Secrets added after the codespace started reach it only after it is stopped and started again");
                return;
            }
            try
            {
                // A malformed name is the first thing to say, before any token is looked for.
                if (ParameterSetName == RepositorySet) GitHubRepository.SplitFullName(Repository);
                if (ParameterSetName == OrganizationSet) SecretLocation.Organization(Organization);
                var api = new CodespacesSecretsApi(GitHubClientFor(Token));
                GitHubRepository? repository = null;
                IReadOnlyList<SecretLocation> locations;
                switch (ParameterSetName)
                {
                    case RepositorySet:
                        WriteVerbose($"Reading the repository {Repository}.");
                        WriteProgress(new ProgressRecord(ProgressId, Activity, $"Reading the repository {Repository}"));
                        repository = Run(ct => api.Client.GetRepositoryAsync(Repository, ct));
                        locations = GitHubSecretSetReader.LocationsFor(repository)
                            .Where(l => Level == null || Level.Contains(l.Level.ToString(), System.StringComparer.OrdinalIgnoreCase)).ToList();
                        if (Level != null)
                        {
                            WriteWarning($"Only the {string.Join(", ", Level)} level(s) were read; AppliesToRepository and IsEffective do not consider the others.");
                        }
                        break;
                    case OrganizationSet:
                        locations = new[] { SecretLocation.Organization(Organization) };
                        break;
                    default:
                        locations = new[] { SecretLocation.User };
                        break;
                }
                WriteVerbose($"Reading the Codespaces secrets of {string.Join(", ", locations)}.");
                WriteProgress(new ProgressRecord(ProgressId, Activity, $"Reading the Codespaces secrets of {string.Join(", ", locations)}"));
                var sets = Run(ct => GitHubSecretSetReader.ReadAsync(api, locations, repository, ct));
                WriteProgress(new ProgressRecord(ProgressId, Activity, "Done") { RecordType = ProgressRecordType.Completed });
                WriteMatching(sets, string.Join(", ", locations));
            }
            catch (RegistryException e)
            {
                ThrowTerminating(e, (object?)Repository ?? Organization);
            }
        }

        private const int ProgressId = 1;
        private const string Activity = "Reading registry secret sets from GitHub";

        private void WriteMatching(IReadOnlyList<RegistrySecretSet> sets, string where)
        {
            var names = _names.Count > 0 ? _names.ToArray() : new[] { "*" };
            var patterns = names.Select(n => new WildcardPattern(n, WildcardOptions.IgnoreCase)).ToList();
            var matched = new bool[patterns.Count];
            foreach (var set in sets)
            {
                var hit = false;
                for (var i = 0; i < patterns.Count; i++)
                {
                    if (patterns[i].IsMatch(set.Name)) { matched[i] = true; hit = true; }
                }
                if (hit) WriteSet(set);
            }
            for (var i = 0; i < patterns.Count; i++)
            {
                if (!matched[i] && !WildcardPattern.ContainsWildcardCharacters(names[i]))
                {
                    WriteError(new RegistryException(GitHubSecretSetWriter.NotFoundErrorId, ErrorKind.ObjectNotFound,
                        $"No registry secret set named '{names[i]}' is in {where}."), names[i]);
                }
            }
        }

        private void WriteSet(RegistrySecretSet set)
        {
            if (!AsPlainText || !(set.GetPassword() is SecureString password))
            {
                WriteObject(set);
                return;
            }
            var wrapped = PSObject.AsPSObject(set);
            wrapped.Properties.Add(new PSNoteProperty("PlainTextPassword", SecureStrings.Reveal(password)));
            WriteObject(wrapped);
        }
    }
}
