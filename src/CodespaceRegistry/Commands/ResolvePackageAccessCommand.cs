using System;
using System.Linq;
using System.Management.Automation;
using System.Security;
using CodespaceRegistry.Access;
using CodespaceRegistry.GitHub;
using CodespaceRegistry.Secrets;

namespace CodespaceRegistry.Commands
{
    /// <summary>
    /// <para type="synopsis">Decides how a codespace of a repository can reach a package (pull or publish), which documented rule decides it, and what to do.</para>
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Resolve, "PackageAccess", DefaultParameterSetName = PackageSet)]
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
        public string? Repository { get; set; }

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
                : SecretSetReader.FromProcessEnvironment(Clock).ToArray();
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
