using System.Management.Automation;
using System.Security;
using CodespaceRegistry.GitHub;
using CodespaceRegistry.Registries;
using CodespaceRegistry.Secrets;

namespace CodespaceRegistry.Commands
{
    /// <summary>
    /// <para type="synopsis">Writes a registry secret set (&lt;ID&gt;_CONTAINER_REGISTRY_SERVER/_USER/_PASSWORD) to a repository, an organization or your user account.</para>
    /// <para type="description">All three secrets are written, each encrypted to the level's public key as GitHub requires. The set is checked
    /// first as a codespace would use it (names, server, whitespace, ECR credentials, token kinds) and refused when a codespace could not log in
    /// with it. Codespaces already running get the new values only after they are stopped and started.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "RegistrySecretSet", DefaultParameterSetName = RepositorySet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(RegistrySecretSet))]
    public sealed class SetRegistrySecretSetCommand : GitHubCmdletBase
    {
        public const string RepositorySet = nameof(SecretLevel.Repository);
        public const string OrganizationSet = nameof(SecretLevel.Organization);
        public const string UserSet = nameof(SecretLevel.User);

        /// <summary>The set's identifier, the &lt;ID&gt; of its secret names.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string Name { get; set; } = null!;

        /// <summary>The registry server, as docker login takes it: ghcr.io, https://index.docker.io/v1/, an ECR host.</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [Alias("ServerValue")]
        [ValidateNotNullOrEmpty]
        public string Server { get; set; } = null!;

        /// <summary>The registry user and password (or token, or AWS access key id and secret key).</summary>
        [Parameter(Mandatory = true)]
        [Credential]
        [ValidateNotNull]
        public PSCredential Credential { get; set; } = null!;

        /// <summary>A repository, owner/name: the set reaches only its codespaces.</summary>
        [Parameter(ParameterSetName = RepositorySet, Mandatory = true)]
        [ValidateNotNullOrEmpty]
        public string Repository { get; set; } = null!;

        /// <summary>An organization (needs admin:org).</summary>
        [Parameter(ParameterSetName = OrganizationSet, Mandatory = true)]
        [ValidateNotNullOrEmpty]
        public string Organization { get; set; } = null!;

        /// <summary>Which of the organization's repositories the set reaches: Private by default, Selected with -SelectedRepository.</summary>
        [Parameter(ParameterSetName = OrganizationSet)]
        public SecretVisibility? Visibility { get; set; }

        /// <summary>Your user account (needs codespace or codespace:secrets); the set reaches the repositories in -SelectedRepository.</summary>
        [Parameter(ParameterSetName = UserSet, Mandatory = true)]
        public SwitchParameter User { get; set; }

        /// <summary>The repositories, owner/name, the set is made available to.</summary>
        [Parameter(ParameterSetName = OrganizationSet)]
        [Parameter(ParameterSetName = UserSet)]
        [ValidateNotNullOrEmpty]
        public string[]? SelectedRepository { get; set; }

        /// <summary>A GitHub token; by default GH_TOKEN or GITHUB_TOKEN. GITHUB_API_URL names a GitHub Enterprise Server.</summary>
        [Parameter]
        public SecureString? Token { get; set; }

        /// <summary>Writes the set as written (server and user; never the password).</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            SecretLocation location;
            var credential = new RegistryCredential(Credential.UserName, Credential.Password);
            try
            {
                location = SecretLocationFor(ParameterSetName, Repository, Organization);
                GitHubSecretSetWriter.Check(Name, Server, credential, Clock.GetUtcNow());
                GitHubSecretSetWriter.CheckPolicy(location, Visibility, SelectedRepository);
            }
            catch (RegistryException e)
            {
                WriteError(e, Name);
                return;
            }

            if (!ShouldProcess($"{Name}_CONTAINER_REGISTRY_SERVER, _USER and _PASSWORD in {location}", "Write registry secret set")) return;
            var api = new CodespacesSecretsApi(GitHubClientFor(Token));
            WriteVerbose($"Writing the registry secret set {Name} to {location}.");
            try
            {
                var set = Run(ct => GitHubSecretSetWriter.WriteAsync(api, location, Name, Server, credential, Visibility, SelectedRepository, Clock.GetUtcNow(), ct));
                if (PassThru) WriteObject(set);
            }
            catch (RegistryException e)
            {
                WriteError(e, Name);
            }
        }
    }
}
