using System.Collections.Generic;
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
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "RegistrySecretSet", DefaultParameterSetName = EnvironmentSet)]
    [OutputType(typeof(RegistrySecretSet))]
    public sealed class GetRegistrySecretSetCommand : GitHubCmdletBase
    {
        public const string EnvironmentSet = "Environment";
        public const string RepositorySet = "Repository";
        public const string OrganizationSet = "Organization";
        public const string UserSet = "User";

        /// <summary>Identifiers of the sets to return; wildcards allowed.</summary>
        [Parameter(Position = 0)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[]? Name { get; set; }

        /// <summary>Adds a PlainTextPassword property to each set: the only way this module shows a password.</summary>
        [Parameter(ParameterSetName = EnvironmentSet)]
        public SwitchParameter AsPlainText { get; set; }

        /// <summary>A repository, owner/name: the sets at its level, its organization's and yours, decided for it.</summary>
        [Parameter(ParameterSetName = RepositorySet, Mandatory = true)]
        [ValidateNotNullOrEmpty]
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

        protected override void EndProcessing()
        {
            if (ParameterSetName == EnvironmentSet)
            {
                WriteMatching(SecretSetReader.FromProcessEnvironment(Clock), "this environment. Secrets added after the codespace started reach it only after it is stopped and started again");
                return;
            }
            try
            {
                var api = new CodespacesSecretsApi(GitHubClientFor(Token));
                GitHubRepository? repository = null;
                IReadOnlyList<SecretLocation> locations;
                switch (ParameterSetName)
                {
                    case RepositorySet:
                        WriteVerbose($"Reading the repository {Repository}.");
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
                var sets = Run(ct => GitHubSecretSetReader.ReadAsync(api, locations, repository, ct));
                WriteMatching(sets, string.Join(", ", locations));
            }
            catch (RegistryException e)
            {
                ThrowTerminating(e, (object?)Repository ?? Organization);
            }
        }

        private void WriteMatching(IReadOnlyList<RegistrySecretSet> sets, string where)
        {
            var patterns = (Name ?? new[] { "*" }).Select(n => new WildcardPattern(n, WildcardOptions.IgnoreCase)).ToList();
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
            if (Name == null) return; // every set was asked for: none is not an error
            for (var i = 0; i < patterns.Count; i++)
            {
                if (!matched[i] && !WildcardPattern.ContainsWildcardCharacters(Name[i]))
                {
                    WriteError(new RegistryException(GitHubSecretSetWriter.NotFoundErrorId, ErrorKind.ObjectNotFound,
                        $"No registry secret set named '{Name[i]}' is in {where}."), Name[i]);
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
