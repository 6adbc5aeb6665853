using System.Management.Automation;
using System.Security;
using CodespaceRegistry.Commands.Completion;
using CodespaceRegistry.GitHub;
using CodespaceRegistry.Secrets;

namespace CodespaceRegistry.Commands
{
    /// <summary>
    /// The parameters of commands that change the sets stored at one level: -Repository, -Organization or -User
    /// (one parameter set each, named after the level), -Token and -PassThru.
    /// </summary>
    public abstract class SecretSetLevelCmdletBase : GitHubCmdletBase
    {
        public const string RepositorySet = nameof(SecretLevel.Repository);
        public const string OrganizationSet = nameof(SecretLevel.Organization);
        public const string UserSet = nameof(SecretLevel.User);

        /// <summary>A repository, owner/name: the sets stored at its level, which reach only its codespaces.</summary>
        [Parameter(ParameterSetName = RepositorySet, Mandatory = true)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(RepositoryCompleter))]
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

        /// <summary>Writes each set changed (never its password).</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary>The level named by the parameter set; throws for a malformed repository or organization name.</summary>
        protected SecretLocation Location() => ParameterSetName switch
        {
            OrganizationSet => SecretLocation.Organization(Organization),
            UserSet => SecretLocation.User,
            _ => SecretLocation.Repository(Repository),
        };

        /// <summary>The Codespaces secrets API of this command's client.</summary>
        protected CodespacesSecretsApi SecretsApi() => new CodespacesSecretsApi(GitHubClientFor(Token));
    }
}
