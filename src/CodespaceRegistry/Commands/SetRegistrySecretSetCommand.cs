using System.Linq;
using System.Management.Automation;
using CodespaceRegistry.Commands.Completion;
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
    /// <para type="description">What Get-RegistrySecretSet would only warn about (docker.io for Docker Hub, which codespaces expect as
    /// https://index.docker.io/v1/; a token about to expire) is written with a warning, also with -WhatIf. A new organization set is Private
    /// unless -Visibility or -SelectedRepository says otherwise; an existing set keeps its visibility and repositories unless you give them.</para>
    /// <para type="notes">A RegistrySecretSet piped in gives its Name and its SERVER value as written; one read through the GitHub API has no
    /// SERVER value, so name the server with -Server.</para>
    /// <para type="link">Get-RegistrySecretSet</para>
    /// <para type="link">Remove-RegistrySecretSet</para>
    /// </summary>
    /// <example>
    /// <code>$cred = Get-Credential octocat
    /// Set-RegistrySecretSet -Name ACME -Server ghcr.io -Credential $cred -Repository octo-org/app</code>
    /// <para>Writes ACME_CONTAINER_REGISTRY_SERVER, _USER and _PASSWORD to the repository octo-org/app.</para>
    /// </example>
    /// <example>
    /// <code>Set-RegistrySecretSet -Name ACME -Server ghcr.io -Credential $cred -Organization octo-org -SelectedRepository octo-org/app, octo-org/web</code>
    /// <para>An organization set that reaches two of its repositories.</para>
    /// </example>
    /// <example>
    /// <code>Set-RegistrySecretSet -Name ECR -Server 123456789012.dkr.ecr.eu-west-1.amazonaws.com -Credential $awsKey -Organization octo-org -Visibility Private</code>
    /// <para>An ECR set holding an AWS access key id and secret key, for the organization's private repositories.</para>
    /// </example>
    /// <example>
    /// <code>Get-RegistrySecretSet -Name ACME | Set-RegistrySecretSet -Credential $cred -User -SelectedRepository octo/app -WhatIf</code>
    /// <para>Copies the environment's set ACME (its name and SERVER value) to your user secrets, showing what would be written.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Set, "RegistrySecretSet", DefaultParameterSetName = RepositorySet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium,
        HelpUri = "https://github.com/codespaceregistry/CodespaceRegistry#set-registrysecretset-and-remove-registrysecretset")]
    [OutputType(typeof(RegistrySecretSet))]
    public sealed class SetRegistrySecretSetCommand : SecretSetLevelCmdletBase
    {
        /// <summary>The set's identifier, the &lt;ID&gt; of its secret names.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(SecretSetNameCompleter))]
        public string Name { get; set; } = null!;

        /// <summary>The registry server, as docker login takes it: ghcr.io, https://index.docker.io/v1/, an ECR host.</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [Alias("ServerValue")]
        [ServerArgument]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(RegistryServerCompleter))]
        public string Server { get; set; } = null!;

        /// <summary>The registry user and password (or token, or AWS access key id and secret key).</summary>
        [Parameter(Mandatory = true)]
        [Credential]
        [ValidateNotNull]
        public PSCredential Credential { get; set; } = null!;

        /// <summary>Which of the organization's repositories the set reaches: Selected with -SelectedRepository; else an existing set keeps its own, a new one is Private.</summary>
        [Parameter(ParameterSetName = OrganizationSet)]
        public SecretVisibility? Visibility { get; set; }

        /// <summary>The repositories, owner/name, the set is made available to (an existing set keeps its repositories when this is left out).</summary>
        [Parameter(ParameterSetName = OrganizationSet)]
        [Parameter(ParameterSetName = UserSet)]
        [ValidateNotNullOrEmpty]
        public string[]? SelectedRepository { get; set; }

        protected override void ProcessRecord()
        {
            SecretLocation location;
            var credential = new RegistryCredential(Credential.UserName, Credential.Password);
            try
            {
                location = Location();
                var checkedSet = GitHubSecretSetWriter.Check(Name, Server, credential, Clock.GetUtcNow());
                GitHubSecretSetWriter.CheckPolicy(location, Visibility, SelectedRepository);
                foreach (var finding in checkedSet.Findings.Where(f => f.Severity == FindingSeverity.Warning))
                {
                    WriteWarning($"{Name}: {finding.Message} {finding.Fix}".TrimEnd());
                }
            }
            catch (RegistryException e)
            {
                WriteError(e, Name);
                return;
            }

            if (!ShouldProcess($"{Name}_CONTAINER_REGISTRY_SERVER, _USER and _PASSWORD in {location}", "Write registry secret set")) return;
            var api = SecretsApi();
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
