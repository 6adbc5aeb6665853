using System.Management.Automation;
using CodespaceRegistry.Registries;

namespace CodespaceRegistry.Commands
{
    /// <summary>
    /// <para type="synopsis">Parses a registry server or an image reference and names the registry.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "RegistryServer", DefaultParameterSetName = ServerSet)]
    [OutputType(typeof(RegistryServer))]
    public sealed class GetRegistryServerCommand : CmdletBase
    {
        public const string ServerSet = "Server";
        public const string ImageSet = "Image";

        /// <summary>A server as written in a SERVER secret: host, host:port, or a URL.</summary>
        [Parameter(ParameterSetName = ServerSet, Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Host")]
        public string[] Server { get; set; } = null!;

        /// <summary>An image reference; its registry is returned.</summary>
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
