namespace CodespaceRegistry.GitHub
{
    /// <summary>The stable ErrorIds of <see cref="RegistryException"/>s thrown by <see cref="GitHubClient"/>.</summary>
    public static class GitHubErrorIds
    {
        /// <summary>No token in -Token, GH_TOKEN or GITHUB_TOKEN.</summary>
        public const string TokenMissing = "GitHubTokenMissing";

        /// <summary>The token is empty or holds white space or non-ASCII characters (a bad paste).</summary>
        public const string InvalidToken = "GitHubInvalidToken";

        /// <summary>GITHUB_API_URL is not an absolute http(s) URL.</summary>
        public const string InvalidApiUrl = "GitHubInvalidApiUrl";

        /// <summary>401: the token is wrong, expired or revoked.</summary>
        public const string Unauthorized = "GitHubUnauthorized";

        /// <summary>403/404 and the token lacks a scope the endpoint accepts (x-accepted-oauth-scopes).</summary>
        public const string MissingScope = "GitHubMissingScope";

        /// <summary>403 that is neither a rate limit nor a missing scope.</summary>
        public const string Forbidden = "GitHubForbidden";

        /// <summary>404: it does not exist or the token cannot see it.</summary>
        public const string NotFound = "GitHubNotFound";

        /// <summary>Primary or secondary rate limit, longer than the client waits.</summary>
        public const string RateLimited = "GitHubRateLimited";

        /// <summary>422: GitHub refused the request's content.</summary>
        public const string ValidationFailed = "GitHubValidationFailed";

        /// <summary>The API could not be reached.</summary>
        public const string Unreachable = "GitHubUnreachable";

        /// <summary>Any other status, or a body that is not the documented JSON.</summary>
        public const string RequestFailed = "GitHubRequestFailed";

        /// <summary>GitHub's public key for secrets is not a 32-byte X25519 key.</summary>
        public const string InvalidPublicKey = "GitHubInvalidPublicKey";

        /// <summary>An owner/name that is not a repository name.</summary>
        public const string InvalidRepositoryName = "GitHubInvalidRepositoryName";

        /// <summary>A login that is not an organization name.</summary>
        public const string InvalidOrganizationName = "GitHubInvalidOrganizationName";

        /// <summary>An answer larger than <see cref="GitHubClient.MaxResponseBytes"/>.</summary>
        public const string ResponseTooLarge = "GitHubResponseTooLarge";

        /// <summary>A <c>Link: rel="next"</c> that leads back to a page already read, or more pages than <see cref="GitHubClient.MaxPages"/>.</summary>
        public const string PaginationUnbounded = "GitHubPaginationUnbounded";

        /// <summary>An operation (every page and rate-limit wait included) outlasted <see cref="GitHubClient.OperationTimeout"/>.</summary>
        public const string Timeout = "GitHubTimeout";
    }
}
