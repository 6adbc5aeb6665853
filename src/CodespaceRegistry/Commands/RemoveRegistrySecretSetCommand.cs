using System.Management.Automation;
using System.Security;
using CodespaceRegistry.GitHub;
using CodespaceRegistry.Secrets;

namespace CodespaceRegistry.Commands
{
    /// <summary>
    /// <para type="synopsis">Removes a registry secret set (all of its secrets, misnamed ones included) from a repository, an organization or your user account.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Remove, "RegistrySecretSet", DefaultParameterSetName = RepositorySet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(RegistrySecretSet))]
    public sealed class RemoveRegistrySecretSetCommand : GitHubCmdletBase
    {
        public const string RepositorySet = nameof(SecretLevel.Repository);
        public const string OrganizationSet = nameof(SecretLevel.Organization);
        public const string UserSet = nameof(SecretLevel.User);

        /// <summary>Identifiers of the sets to remove.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string[] Name { get; set; } = null!;

        /// <summary>A repository, owner/name: remove the set stored at its level.</summary>
        [Parameter(ParameterSetName = RepositorySet, Mandatory = true)]
        [ValidateNotNullOrEmpty]
        public string Repository { get; set; } = null!;

        /// <summary>An organization (needs admin:org).</summary>
        [Parameter(ParameterSetName = OrganizationSet, Mandatory = true)]
        [ValidateNotNullOrEmpty]
        public string Organization { get; set; } = null!;

        /// <summary>Your user account (needs codespace or codespace:secrets).</summary>
        [Parameter(ParameterSetName = UserSet, Mandatory = true)]
        public SwitchParameter User { get; set; }

        /// <summary>A GitHub token; by default GH_TOKEN or GITHUB_TOKEN. GITHUB_API_URL names a GitHub Enterprise Server.</summary>
        [Parameter]
        public SecureString? Token { get; set; }

        /// <summary>Writes each removed set as it was.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            SecretLocation location;
            try
            {
                location = SecretLocationFor(ParameterSetName, Repository, Organization);
            }
            catch (RegistryException e)
            {
                ThrowTerminating(e, (object?)Repository ?? Organization);
                return;
            }

            foreach (var name in Name)
            {
                if (!ShouldProcess($"registry secret set {name} in {location}", "Remove")) continue;
                var api = new CodespacesSecretsApi(GitHubClientFor(Token));
                WriteVerbose($"Removing the registry secret set {name} from {location}.");
                try
                {
                    var removed = Run(ct => GitHubSecretSetWriter.RemoveAsync(api, location, name, ct));
                    if (PassThru) WriteObject(removed);
                }
                catch (RegistryException e)
                {
                    WriteError(e, name);
                }
            }
        }
    }
}
