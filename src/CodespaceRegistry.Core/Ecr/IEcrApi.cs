using System;
using System.Threading;
using System.Threading.Tasks;

namespace CodespaceRegistry.Ecr
{
    /// <summary>
    /// The two AWS calls the ECR support needs, signed with AWS Signature V4. Implemented by
    /// <c>CodespaceRegistry.Aws</c> over the AWS SDK, which <see cref="AwsAssemblies"/> loads in isolation only
    /// when an ECR operation runs; Core itself never references the SDK.
    /// </summary>
    public interface IEcrApi
    {
        /// <summary>ECR's (or ECR Public's) GetAuthorizationToken.</summary>
        /// <exception cref="AwsApiException">AWS answered with an error.</exception>
        Task<EcrAuthorization> GetAuthorizationTokenAsync(AwsEndpoint endpoint, AwsAccessKey key, DateTimeOffset signedAt, CancellationToken cancellationToken);

        /// <summary>STS GetCallerIdentity: whose key this is.</summary>
        /// <exception cref="AwsApiException">AWS answered with an error.</exception>
        Task<AwsCallerIdentity> GetCallerIdentityAsync(AwsEndpoint endpoint, AwsAccessKey key, CancellationToken cancellationToken);
    }

    /// <summary>An access key id and its secret key, in plain text only for the moment a request is signed.</summary>
    public sealed class AwsAccessKey
    {
        public AwsAccessKey(string accessKeyId, string secretAccessKey)
        {
            AccessKeyId = accessKeyId;
            SecretAccessKey = secretAccessKey;
        }

        public string AccessKeyId { get; }

        public string SecretAccessKey { get; }

        public override string ToString() => AccessKeyId;
    }

    /// <summary>What GetAuthorizationToken returns: base64 of <c>AWS:&lt;password&gt;</c> and when it expires.</summary>
    public sealed class EcrAuthorization
    {
        public EcrAuthorization(string authorizationToken, DateTimeOffset expiresAt, string? proxyEndpoint)
        {
            AuthorizationToken = authorizationToken;
            ExpiresAt = expiresAt;
            ProxyEndpoint = proxyEndpoint;
        }

        public string AuthorizationToken { get; }

        public DateTimeOffset ExpiresAt { get; }

        /// <summary>The registry the token is for (private ECR only), such as https://123456789012.dkr.ecr.us-east-1.amazonaws.com.</summary>
        public string? ProxyEndpoint { get; }

        public override string ToString() => $"ECR token until {ExpiresAt:u}";
    }

    /// <summary>Whose access key it is, from STS GetCallerIdentity.</summary>
    public sealed class AwsCallerIdentity
    {
        public AwsCallerIdentity(string account, string arn, string userId)
        {
            Account = account;
            Arn = arn;
            UserId = userId;
        }

        public string Account { get; }

        /// <summary>The principal, such as arn:aws:iam::123456789012:user/ci-puller.</summary>
        public string Arn { get; }

        public string UserId { get; }

        public override string ToString() => Arn;
    }

    /// <summary>An error AWS answered with: its code (<c>__type</c> or <c>Code</c>), HTTP status and message.</summary>
    public sealed class AwsApiException : Exception
    {
        public AwsApiException(AwsService service, string errorCode, int statusCode, string message, Exception? inner = null)
            : base($"{service} answered {statusCode} {errorCode}: {message}", inner)
        {
            Service = service;
            ErrorCode = errorCode;
            StatusCode = statusCode;
            AwsMessage = message;
        }

        public AwsService Service { get; }

        public string ErrorCode { get; }

        public int StatusCode { get; }

        public string AwsMessage { get; }
    }
}
