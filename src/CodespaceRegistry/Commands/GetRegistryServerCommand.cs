using System.Management.Automation;
using CodespaceRegistry.Commands.Completion;
using CodespaceRegistry.Registries;

namespace CodespaceRegistry.Commands
{
    /// <summary>
    /// <para type="synopsis">Parses a registry server or an image reference and names the registry.</para>
    /// <para type="description">Says what kind of registry a SERVER value or an image names (Docker Hub, GitHub Container registry, Azure,
    /// Amazon ECR with its account, region and partition, Google, ...), its normalised host and the key docker's config.json files its credentials
    /// under (https://index.docker.io/v1/ for every Docker Hub alias). It contacts nothing.</para>
    /// <para type="link">Get-RegistrySecretSet</para>
    /// <para type="link">Test-RegistryAccess</para>
    /// </summary>
    /// <example>
    /// <code>Get-RegistryServer 123456789012.dkr.ecr.eu-west-1.amazonaws.com</code>
    /// <para>An Amazon ECR registry: Kind AmazonEcr, AccountId 123456789012, Region eu-west-1.</para>
    /// </example>
    /// <example>
    /// <code>Get-RegistryServer -Image mcr.microsoft.com/devcontainers/base:ubuntu</code>
    /// <para>The registry an image is pulled from.</para>
    /// </example>
    /// <example>
    /// <code>'ghcr.io', 'docker.io' | Get-RegistryServer</code>
    /// <para>Servers from the pipeline; docker.io is Docker Hub, whose config key is https://index.docker.io/v1/.</para>
    /// </example>
    /// <example>
    /// <code>Get-RegistrySecretSet -Name ACME | Get-RegistryServer</code>
    /// <para>The server of a secret set, from its SERVER value.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Get, "RegistryServer", DefaultParameterSetName = ServerSet, HelpUri = "https://github.com/codespaceregistry/CodespaceRegistry#get-registryserver")]
    [OutputType(typeof(RegistryServer))]
    public sealed class GetRegistryServerCommand : CmdletBase
    {
        public const string ServerSet = "Server";
        public const string ImageSet = "Image";

        /// <summary>A server as written in a SERVER secret: host, host:port, or a URL. A registry secret set from the pipeline gives its SERVER value.</summary>
        [Parameter(ParameterSetName = ServerSet, Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Host")]
        [ServerArgument]
        [ArgumentCompleter(typeof(RegistryServerCompleter))]
        public string[] Server { get; set; } = null!;

        /// <summary>An image reference, such as ghcr.io/octo-org/app:1 or ubuntu; its registry is returned.</summary>
        [Parameter(ParameterSetName = ImageSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Reference")]
        public string[] Image { get; set; } = null!;

        protected override void ProcessRecord()
        {
            var inputs = ParameterSetName == ImageSet ? Image : Server;
            foreach (var input in inputs)
            {
                try
                {
                    WriteObject(ParameterSetName == ImageSet ? ImageReference.Parse(input).Registry : RegistryServer.Parse(input));
                }
                catch (RegistryException e)
                {
                    WriteError(e, input);
                }
            }
        }
    }
}
