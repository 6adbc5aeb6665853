using System;
using System.Security;
using CodespaceRegistry.GitHub;
using CodespaceRegistry.Secrets;

namespace CodespaceRegistry.Commands
{
    /// <summary>
    /// Plumbing for cmdlets that call GitHub's API: one client per command, created on first use (so -WhatIf needs
    /// neither a token nor a network), from -Token or GH_TOKEN/GITHUB_TOKEN and GITHUB_API_URL, disposed with the command.
    /// </summary>
    public abstract class GitHubCmdletBase : CmdletBase
    {
        private GitHubClient? _client;

        /// <summary>The command's client; a missing token or a bad GITHUB_API_URL stops the command.</summary>
        protected GitHubClient GitHubClientFor(SecureString? token)
        {
            if (_client != null) return _client;
            try
            {
                _client = GitHubClient.Create(token, Environment.GetEnvironmentVariable);
            }
            catch (RegistryException e)
            {
                ThrowTerminating(e, null);
            }
            WriteVerbose($"Using the GitHub API at {_client!.ApiUrl}.");
            return _client;
        }

        /// <summary>The level a Set/Remove command works on, from its parameter set (named after the level).</summary>
        protected static SecretLocation SecretLocationFor(string parameterSet, string? repository, string? organization) => parameterSet switch
        {
            nameof(SecretLevel.Organization) => SecretLocation.Organization(organization!),
            nameof(SecretLevel.User) => SecretLocation.User,
            _ => SecretLocation.Repository(repository!),
        };

        protected override void Dispose(bool disposing)
        {
            if (disposing) _client?.Dispose();
            base.Dispose(disposing);
        }
    }
}
