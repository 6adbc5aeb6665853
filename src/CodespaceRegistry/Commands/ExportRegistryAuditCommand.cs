using System.Collections.Generic;
using System.Management.Automation;
using System.Text;
using CodespaceRegistry.Audit;

namespace CodespaceRegistry.Commands
{
    /// <summary>
    /// <para type="synopsis">Writes the results of Invoke-RegistryAudit as SARIF 2.1.0 (for GitHub code scanning) or JSON, to a file or the pipeline.</para>
    /// <para type="description">SARIF: a tool driver with one rule per kind of subject (each with help text and a help URI), and a result for each
    /// subject that did not pass, with its level, message and location in devcontainer.json, the Dockerfile or the Compose file, relative to the
    /// repository root; fingerprints stay stable across runs. JSON: every result, enum values as their names, never a password or its length.</para>
    /// <para type="link">Invoke-RegistryAudit</para>
    /// </summary>
    /// <example>
    /// <code>Invoke-RegistryAudit | Export-RegistryAudit -Format Sarif -Path registry-audit.sarif</code>
    /// <para>A SARIF file for github/codeql-action/upload-sarif.</para>
    /// </example>
    /// <example>
    /// <code>Invoke-RegistryAudit -SkipPull | Export-RegistryAudit -Format Json | Set-Content audit.json</code>
    /// <para>The results as JSON, through the pipeline.</para>
    /// </example>
    [Cmdlet(VerbsData.Export, "RegistryAudit", DefaultParameterSetName = ExportSet, HelpUri = "https://github.com/codespaceregistry/CodespaceRegistry#export-registryaudit")]
    [OutputType(typeof(string))]
    public sealed class ExportRegistryAuditCommand : CmdletBase
    {
        public const string ExportSet = "Export";

        private readonly List<RegistryAuditResult> _results = new List<RegistryAuditResult>();

        /// <summary>Results from Invoke-RegistryAudit.</summary>
        [Parameter(ParameterSetName = ExportSet, Mandatory = true, ValueFromPipeline = true)]
        public RegistryAuditResult[] InputObject { get; set; } = null!;

        /// <summary>Sarif (SARIF 2.1.0; results that did not pass, with their locations) or Json (every result).</summary>
        [Parameter(ParameterSetName = ExportSet, Mandatory = true, Position = 0)]
        public AuditExportFormat Format { get; set; }

        /// <summary>The file to write (UTF-8, replaced if it exists); without it, the text goes to the pipeline.</summary>
        [Parameter(ParameterSetName = ExportSet, Position = 1)]
        [ValidateNotNullOrEmpty]
        public string? Path { get; set; }

        protected override void ProcessRecord() => _results.AddRange(InputObject);

        protected override void EndProcessing()
        {
            var text = AuditExport.Write(_results, Format);
            if (Path == null)
            {
                WriteObject(text);
                return;
            }
            var file = GetUnresolvedProviderPathFromPSPath(Path);
            WriteVerbose($"Writing {_results.Count} result(s) as {Format} to {file}.");
            try
            {
                System.IO.File.WriteAllText(file, text, new UTF8Encoding(false));
            }
            catch (System.Exception e) when (e is System.IO.IOException || e is System.UnauthorizedAccessException)
            {
                ThrowTerminating(new RegistryException("AuditExportFailed", ErrorKind.PermissionDenied, $"The audit could not be written to '{file}': {e.Message}", e), Path);
            }
        }
    }
}
