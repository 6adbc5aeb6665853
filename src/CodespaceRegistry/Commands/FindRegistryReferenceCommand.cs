using System.Collections.Generic;
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
        public const string LiteralPathSet = "LiteralPath";

        /// <summary>Repository folders (the current one by default) or devcontainer.json files; wildcards are expanded, as for Get-ChildItem.</summary>
        [Parameter(ParameterSetName = PathSet, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [SupportsWildcards]
        public string[]? Path { get; set; }

        /// <summary>Repository folders or devcontainer.json files, used exactly as written (no wildcards).</summary>
        [Parameter(ParameterSetName = LiteralPathSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [Alias("PSPath", "LP", "FullName")]
        [ValidateNotNullOrEmpty]
        public string[] LiteralPath { get; set; } = null!;

        protected override void ProcessRecord()
        {
            var literal = ParameterSetName == LiteralPathSet;
            foreach (var path in literal ? LiteralPath : Path ?? new[] { "." })
            {
                foreach (var resolved in ProviderPaths.Resolve(this, path, literal))
                {
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
