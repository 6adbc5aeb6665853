using System;
using System.Linq;
using System.Management.Automation;
using System.Security;
using CodespaceRegistry.Access;
using CodespaceRegistry.Commands.Completion;
using CodespaceRegistry.GitHub;
using CodespaceRegistry.Secrets;

namespace CodespaceRegistry.Commands
{
    /// <summary>
    /// <para type="synopsis">Decides how a codespace of a repository can reach a package (pull or publish), which documented rule decides it, and what to do.</para>
    /// <para type="description">Applies the Codespaces rules in order: publishing needs a personal access token (classic); Maven and Gradle are
    /// repository-scoped; a public package is public; a package published from the repository is seamless if it inherits access; an internal
    /// package reaches its organization's private repositories; a public repository needs an explicit grant; any other registry needs a
    /// secret set that names its server. Each decision has an Outcome, the Rule that decided it, the Reason, the Fix and the SettingsUrl to go to.
    /// IsAllowed is true or false, or empty when the outcome is Undetermined.</para>
    /// <para type="description">Package facts come from the GitHub API with a token (read:packages); without one, GitHub packages stay
    /// Undetermined and nothing is contacted. What the API cannot show is given with -InheritAccess and -GrantedRepository.</para>
    /// <para type="link">Find-RegistryReference</para>
    /// <para type="link">Get-RegistrySecretSet</para>
    /// </summary>
    /// <example>
    /// <code>Resolve-PackageAccess ghcr.io/octo-org/app:1 -Repository octo-org/web -InheritAccess</code>
    /// <para>Decides whether a codespace of octo-org/web pulls the package, given that it inherits access from its repository.</para>
    /// </example>
    /// <example>
    /// <code>Resolve-PackageAccess ghcr.io/octo-org/app:1 -Repository octo-org/web -Operation Publish</code>
    /// <para>Publishing from a codespace: a personal access token (classic) with write:packages, or GitHub Actions.</para>
    /// </example>
    /// <example>
    /// <code>Find-RegistryReference | Resolve-PackageAccess -Repository octo-org/web</code>
    /// <para>Every image the dev container of the current folder pulls, each with its decision.</para>
    /// </example>
    /// <example>
    /// <code>Resolve-PackageAccess myreg.azurecr.io/team/app:2 -Repository octo-org/web -SecretSet (Get-RegistrySecretSet -Repository octo-org/web)</code>
    /// <para>Whether one of the sets stored for the repository covers a private registry.</para>
    /// </example>
    [Cmdlet(VerbsDiagnostic.Resolve, "PackageAccess", DefaultParameterSetName = PackageSet, HelpUri = "https://github.com/codespaceregistry/CodespaceRegistry#resolve-packageaccess")]
    [OutputType(typeof(PackageAccessDecision))]
    public sealed class ResolvePackageAccessCommand : CmdletBase
    {
        public const string PackageSet = "Package";

        private PackageAccessResolver _resolver = null!;
        private GitHubClient? _client;
        private string _repository = "";
        private RegistrySecretSet[] _sets = Array.Empty<RegistrySecretSet>();

        /// <summary>Image references (ghcr.io/OWNER/NAME:TAG, any registry) or GitHub Packages paths (npm.pkg.github.com/@OWNER/NAME, ...).</summary>
        [Parameter(ParameterSetName = PackageSet, Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Reference", "Image")]
        [ValidateNotNullOrEmpty]
        public string[] Package { get; set; } = null!;

        /// <summary>The codespace's repository, owner/name; GITHUB_REPOSITORY (set inside a codespace) by default.</summary>
        [Parameter(Position = 1)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(RepositoryCompleter))]
        public string? Repository { get; set; }

        /// <summary>Pull (default): what a codespace does when it builds and runs; Publish: pushing the package from the codespace.</summary>
        [Parameter]
        public PackageOperation Operation { get; set; } = PackageOperation.Pull;

        /// <summary>The secret sets the codespace would see (from Get-RegistrySecretSet); the environment's sets by default.</summary>
        [Parameter]
        public RegistrySecretSet[]? SecretSet { get; set; }

        /// <summary>Whether "Inherit access from source repository" is selected in the package's settings (the API does not show it); -InheritAccess:$false for unselected.</summary>
        [Parameter]
        public SwitchParameter InheritAccess { get; set; }

        /// <summary>The repositories the package's "Manage Codespaces access" lists (the API does not show them).</summary>
        [Parameter]
        [ArgumentCompleter(typeof(RepositoryCompleter))]
        public string[]? GrantedRepository { get; set; }

        /// <summary>A GitHub token with read:packages; GH_TOKEN or GITHUB_TOKEN by default. Without one, GitHub package facts stay unknown.</summary>
        [Parameter]
        public SecureString? Token { get; set; }

        protected override void BeginProcessing()
        {
            var repository = Repository ?? Environment.GetEnvironmentVariable("GITHUB_REPOSITORY");
            try
            {
                if (string.IsNullOrWhiteSpace(repository))
                {
                    throw new RegistryException("RepositoryRequired", ErrorKind.InvalidArgument,
                        "Name the codespace's repository with -Repository owner/name (inside a codespace GITHUB_REPOSITORY names it).");
                }
                var (owner, name) = GitHubRepository.SplitFullName(repository!);
                _repository = owner + "/" + name;
            }
            catch (RegistryException e)
            {
                ThrowTerminating(e, repository);
            }

            // Bound but empty (-SecretSet (Get-RegistrySecretSet -Name NONE)) means no sets, not the environment's.
            _sets = MyInvocation.BoundParameters.ContainsKey(nameof(SecretSet))
                ? SecretSet ?? Array.Empty<RegistrySecretSet>()
                : EnvironmentSecretSets().ToArray();
            try
            {
                _client = GitHubClient.Create(Token, Environment.GetEnvironmentVariable);
                WriteVerbose($"Package facts come from {_client.ApiUrl}.");
                _resolver = new PackageAccessResolver(new GitHubPackageFactsSource(_client));
            }
            catch (RegistryException e) when (e.ErrorId == GitHubErrorIds.TokenMissing)
            {
                _resolver = new PackageAccessResolver(null, e.Message);
            }
            catch (RegistryException e)
            {
                ThrowTerminating(e, null);
            }
        }

        protected override void ProcessRecord()
        {
            foreach (var package in Package)
            {
                PackageAccessRequest request;
                try
                {
                    request = new PackageAccessRequest(PackageReference.Parse(package), _repository, Operation)
                    {
                        InheritAccess = MyInvocation.BoundParameters.ContainsKey(nameof(InheritAccess)) ? InheritAccess.IsPresent : (bool?)null,
                        GrantedRepositories = GrantedRepository,
                        SecretSets = _sets,
                    };
                }
                catch (RegistryException e)
                {
                    WriteError(e, package);
                    continue;
                }
                WriteObject(Run(ct => _resolver.ResolveAsync(request, ct)));
            }
        }

        // Also when a terminating error or Ctrl+C skips EndProcessing.
        protected override void Dispose(bool disposing)
        {
            if (disposing) _client?.Dispose();
            base.Dispose(disposing);
        }
    }
}
