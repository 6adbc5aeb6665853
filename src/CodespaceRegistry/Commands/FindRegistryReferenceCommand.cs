using System.Collections.Generic;
using System.Management.Automation;
using CodespaceRegistry.Devcontainer;
using CodespaceRegistry.Secrets;

namespace CodespaceRegistry.Commands
{
    /// <summary>
    /// <para type="synopsis">Finds the images and Features a codespace pulls to build its dev container: devcontainer.json's image, Dockerfile FROM lines, Compose services and features.</para>
    /// <para type="description">Reads .devcontainer/devcontainer.json, .devcontainer.json and .devcontainer/NAME/devcontainer.json (comments and
    /// trailing commas allowed): the image, the FROM lines of the Dockerfile it builds (with build args, only the stages the target needs), the
    /// Compose services the container starts, and the OCI Features. Each reference says which file and line names it. A reference whose variable
    /// has no value is not guessed: it is a warning naming the file and line.</para>
    /// <para type="link">Resolve-PackageAccess</para>
    /// <para type="link">Test-RegistryAccess</para>
    /// </summary>
    /// <example>
    /// <code>Find-RegistryReference</code>
    /// <para>The images and Features the dev container of the current folder pulls.</para>
    /// </example>
    /// <example>
    /// <code>Get-ChildItem ~/src -Directory | Find-RegistryReference</code>
    /// <para>Every repository folder under ~/src.</para>
    /// </example>
    /// <example>
    /// <code>Find-RegistryReference -Path ~/src/web | Resolve-PackageAccess -Repository octo-org/web</code>
    /// <para>How a codespace of octo-org/web reaches each image its dev container pulls.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Find, "RegistryReference", DefaultParameterSetName = PathSet, HelpUri = "https://github.com/codespaceregistry/CodespaceRegistry#find-registryreference")]
    [OutputType(typeof(RegistryReference))]
    public sealed class FindRegistryReferenceCommand : RepositoryPathCmdletBase
    {
        protected override void ProcessRecord()
        {
            foreach (var (path, resolved) in ResolvePaths())
            {
                _folders++;
                WriteProgress(new ProgressRecord(ProgressId, "Finding registry references", $"{path} ({_folders})"));
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

        private const int ProgressId = 1;
        private int _folders;

        protected override void EndProcessing()
        {
            if (_folders > 0) WriteProgress(new ProgressRecord(ProgressId, "Finding registry references", "Done") { RecordType = ProgressRecordType.Completed });
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
