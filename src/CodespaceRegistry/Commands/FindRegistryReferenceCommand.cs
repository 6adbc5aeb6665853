using System.Management.Automation;
using CodespaceRegistry.Devcontainer;
using CodespaceRegistry.Secrets;

namespace CodespaceRegistry.Commands
{
    /// <summary>
    /// <para type="synopsis">Finds the images and Features a codespace pulls to build its dev container: devcontainer.json's image, Dockerfile FROM lines, Compose services and features.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Find, "RegistryReference", DefaultParameterSetName = PathSet)]
    [OutputType(typeof(RegistryReference))]
    public sealed class FindRegistryReferenceCommand : CmdletBase
    {
        public const string PathSet = "Path";

        /// <summary>A repository folder (the current one by default) or a devcontainer.json file.</summary>
        [Parameter(ParameterSetName = PathSet, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("FullName", "PSPath")]
        [ValidateNotNullOrEmpty]
        public string[]? Path { get; set; }

        protected override void ProcessRecord()
        {
            foreach (var path in Path ?? new[] { "." })
            {
                var resolved = GetUnresolvedProviderPathFromPSPath(path);
                try
                {
                    var root = DevcontainerScanner.RootOf(resolved);
                    foreach (var configuration in DevcontainerScanner.FindConfigurations(resolved))
                    {
                        WriteVerbose($"Reading {configuration}.");
                        Scan(configuration, root);
                    }
                }
                catch (RegistryException e)
                {
                    WriteError(e, path);
                }
            }
        }

        private void Scan(string configuration, string root)
        {
            DevcontainerScan scan;
            try
            {
                scan = DevcontainerScanner.Scan(configuration, root);
            }
            catch (RegistryException e)
            {
                WriteError(e, configuration);
                return;
            }
            foreach (var reference in scan.References) WriteObject(reference);
            foreach (var finding in scan.Findings)
            {
                if (finding.Severity == FindingSeverity.Information) WriteVerbose(finding.ToString());
                else WriteWarning(finding.ToString());
            }
        }
    }
}
