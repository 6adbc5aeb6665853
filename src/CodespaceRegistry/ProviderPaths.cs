using System.Collections.Generic;
using System.Management.Automation;

namespace CodespaceRegistry.Commands
{
    /// <summary>-Path (wildcards, as for Get-ChildItem) and -LiteralPath, as file system paths: the one place commands resolve them.</summary>
    internal static class ProviderPaths
    {
        /// <summary>The file system paths <paramref name="path"/> names; a path that does not exist is that input's PathNotFound error.</summary>
        public static IEnumerable<string> Resolve(PSCmdlet cmdlet, string path, bool literal)
        {
            try
            {
                if (!literal) return cmdlet.GetResolvedProviderPathFromPSPath(path, out _);
                var resolved = cmdlet.GetUnresolvedProviderPathFromPSPath(path);
                if (!System.IO.File.Exists(resolved) && !System.IO.Directory.Exists(resolved))
                    throw new ItemNotFoundException($"Cannot find path '{resolved}' because it does not exist.");
                return new[] { resolved };
            }
            catch (ItemNotFoundException e)
            {
                cmdlet.WriteError(ErrorRecords.From(e, path));
                return new string[0];
            }
        }
    }
}
