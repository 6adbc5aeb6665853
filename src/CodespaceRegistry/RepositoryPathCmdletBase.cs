using System.Collections.Generic;
using System.Management.Automation;

namespace CodespaceRegistry.Commands
{
    /// <summary>
    /// -Path (wildcards, as for Get-ChildItem) and -LiteralPath (a piped item's PSPath) for commands that read
    /// repository folders or devcontainer.json files, and how they become file system paths: the one place.
    /// </summary>
    public abstract class RepositoryPathCmdletBase : CmdletBase
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

        /// <summary>
        /// This record's paths as given (the current folder by default) and the file system paths each names; a path
        /// that does not exist is that input's PathNotFound error, and the command goes on.
        /// </summary>
        protected IEnumerable<(string Input, string Resolved)> ResolvePaths()
        {
            var literal = ParameterSetName == LiteralPathSet;
            foreach (var path in literal ? LiteralPath : Path ?? new[] { "." })
            {
                foreach (var resolved in Resolve(path, literal)) yield return (path, resolved);
            }
        }

        private IEnumerable<string> Resolve(string path, bool literal)
        {
            try
            {
                if (!literal) return GetResolvedProviderPathFromPSPath(path, out _);
                var resolved = GetUnresolvedProviderPathFromPSPath(path);
                if (!System.IO.File.Exists(resolved) && !System.IO.Directory.Exists(resolved))
                    throw new ItemNotFoundException($"Cannot find path '{resolved}' because it does not exist.");
                return new[] { resolved };
            }
            catch (ItemNotFoundException e)
            {
                WriteError(e, path);
                return new string[0];
            }
        }
    }
}
