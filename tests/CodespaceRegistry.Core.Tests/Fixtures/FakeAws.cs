using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Security;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace CodespaceRegistry.Tests.Fixtures
{
    /// <summary>
    /// ECR, ECR Public and STS on one loopback endpoint, speaking their wire protocols: AWS JSON 1.1 for
    /// <c>GetAuthorizationToken</c> (X-Amz-Target <c>AmazonEC2ContainerRegistry_V20150921.*</c> or
    /// <c>SpencerFrontendService.*</c>) and the Query protocol with XML answers for STS <c>GetCallerIdentity</c>.
    /// Every request's SigV4 signature is verified with the secret key of the user it names (<see cref="SigV4Verifier"/>),
    /// for this endpoint's region and the operation's service, against <see cref="Clock"/>; failures answer with
    /// AWS's error codes and HTTP statuses.
    /// </summary>
    public sealed class FakeAws : IAsyncDisposable
    {
        public const string EcrTarget = "AmazonEC2ContainerRegistry_V20150921.GetAuthorizationToken";
        public const string EcrPublicTarget = "SpencerFrontendService.GetAuthorizationToken";

        private readonly ConcurrentDictionary<string, FakeAwsUser> _users = new ConcurrentDictionary<string, FakeAwsUser>(StringComparer.Ordinal);
        private readonly ConcurrentQueue<string> _issuedPasswords = new ConcurrentQueue<string>();
        private int _tokenRequests;
        private LoopbackServer? _server;

        private FakeAws(string region, TimeProvider clock)
        {
            Region = region;
            Clock = clock;
        }

        public static async Task<FakeAws> StartAsync(string region, TimeProvider? clock = null)
        {
            var fake = new FakeAws(region, clock ?? TimeProvider.System);
            fake._server = await LoopbackServer.StartAsync(fake.HandleAsync);
            return fake;
        }

        /// <summary>The region this endpoint serves; signatures scoped to another are refused.</summary>
        public string Region { get; }

        public TimeProvider Clock { get; }

        public Uri Url => _server!.BaseUri;

        public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(12);

        /// <summary>The JSON number answered as expiresAt instead of now + <see cref="TokenLifetime"/> (such as an out-of-range 1e300).</summary>
        public string? ExpiresAtJson { get; set; }

        /// <summary>The password every token carries, so a registry's htpasswd can know it in advance; random when null.</summary>
        public string? FixedPassword { get; set; }

        /// <summary>How many GetAuthorizationToken calls were answered with a token.</summary>
        public int TokenRequests => Volatile.Read(ref _tokenRequests);

        /// <summary>The passwords of every token issued, newest last.</summary>
        public IReadOnlyList<string> IssuedPasswords => _issuedPasswords.ToArray();

        /// <summary>An IAM user with an access key, allowed the listed actions (such as <c>ecr:GetAuthorizationToken</c>).</summary>
        public FakeAwsUser AddUser(string accessKeyId, string secretAccessKey, string account, string userName, params string[] allowedActions)
        {
            var user = new FakeAwsUser(accessKeyId, secretAccessKey, account, $"arn:aws:iam::{account}:user/{userName}", "AIDA" + accessKeyId.Substring(4), allowedActions);
            _users[accessKeyId] = user;
            return user;
        }

        private async Task HandleAsync(HttpContext context)
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer);
            var body = buffer.ToArray();
            var request = new SigV4Request(context.Request.Method, context.Request.Path.Value ?? "/", context.Request.QueryString.Value ?? "",
                context.Request.Headers.SelectMany(h => h.Value.Select(v => new KeyValuePair<string, string>(h.Key, v ?? ""))).ToList(), body);

            var target = request.Header("X-Amz-Target");
            if (context.Request.Method == "POST" && (target == EcrTarget || target == EcrPublicTarget))
            {
                await HandleEcrAsync(context, request, target == EcrPublicTarget);
            }
            else if (context.Request.Method == "POST" && Encoding.UTF8.GetString(body).Split('&').Contains("Action=GetCallerIdentity"))
            {
                await HandleStsAsync(context, request);
            }
            else
            {
                await JsonError(context, 400, "UnknownOperationException", "");
            }
        }

        private async Task HandleEcrAsync(HttpContext context, SigV4Request request, bool isPublic)
        {
            if (request.Header("Content-Type") != "application/x-amz-json-1.1")
            {
                await JsonError(context, 400, "SerializationException", "Start of structure or map found where not expected.");
                return;
            }
            var service = isPublic ? "ecr-public" : "ecr";
            var check = SigV4Verifier.Verify(request, key => _users.TryGetValue(key, out var u) ? u.SecretAccessKey : null, service, Region, Clock.GetUtcNow());
            if (!check.IsValid)
            {
                var code = check.Failure == SigV4Failure.UnknownAccessKey ? "UnrecognizedClientException"
                    : check.Failure == SigV4Failure.Malformed ? "IncompleteSignatureException" : "InvalidSignatureException";
                await JsonError(context, check.Failure == SigV4Failure.UnknownAccessKey ? 400 : 403, code, check.Message);
                return;
            }
            var user = _users[check.AccessKeyId];
            var needed = isPublic ? new[] { "ecr-public:GetAuthorizationToken", "sts:GetServiceBearerToken" } : new[] { "ecr:GetAuthorizationToken" };
            var missing = needed.FirstOrDefault(a => !user.AllowedActions.Contains(a));
            if (missing != null)
            {
                await JsonError(context, 400, "AccessDeniedException",
                    $"User: {user.Arn} is not authorized to perform: {missing} on resource: * because no identity-based policy allows the {missing} action");
                return;
            }

            var password = FixedPassword ?? Convert.ToBase64String(RandomNumberGenerator.GetBytes(96));
            _issuedPasswords.Enqueue(password);
            Interlocked.Increment(ref _tokenRequests);
            var token = Convert.ToBase64String(Encoding.UTF8.GetBytes("AWS:" + password));
            // ECR writes expiresAt as a JSON number of epoch seconds in exponent form, such as 1.795354972489E9.
            var expires = (Clock.GetUtcNow() + TokenLifetime).ToUnixTimeMilliseconds() / 1000.0;
            var expiresJson = ExpiresAtJson ?? (expires / 1e9).ToString("R", CultureInfo.InvariantCulture) + "E9";
            var data = $"{{\"authorizationToken\":\"{token}\",\"expiresAt\":{expiresJson}" +
                       (isPublic ? "}" : $",\"proxyEndpoint\":\"https://{user.Account}.dkr.ecr.{Region}.amazonaws.com\"}}");
            context.Response.ContentType = "application/x-amz-json-1.1";
            await context.Response.WriteAsync("{\"authorizationData\":" + (isPublic ? data : "[" + data + "]") + "}");
        }

        private async Task HandleStsAsync(HttpContext context, SigV4Request request)
        {
            var check = SigV4Verifier.Verify(request, key => _users.TryGetValue(key, out var u) ? u.SecretAccessKey : null, "sts", Region, Clock.GetUtcNow());
            if (!check.IsValid)
            {
                var code = check.Failure switch
                {
                    SigV4Failure.UnknownAccessKey => "InvalidClientTokenId",
                    SigV4Failure.Malformed => "IncompleteSignature",
                    _ => "SignatureDoesNotMatch",
                };
                await XmlError(context, 403, code, check.Message);
                return;
            }
            var user = _users[check.AccessKeyId];
            context.Response.ContentType = "text/xml";
            await context.Response.WriteAsync(
                "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><GetCallerIdentityResult>" +
                $"<Arn>{user.Arn}</Arn><UserId>{user.UserId}</UserId><Account>{user.Account}</Account>" +
                $"</GetCallerIdentityResult><ResponseMetadata><RequestId>{Guid.NewGuid()}</RequestId></ResponseMetadata></GetCallerIdentityResponse>");
        }

        private static Task JsonError(HttpContext context, int status, string type, string message)
        {
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/x-amz-json-1.1";
            context.Response.Headers["x-amzn-RequestId"] = Guid.NewGuid().ToString();
            return context.Response.WriteAsync(JsonSerializer.Serialize(new Dictionary<string, string> { ["__type"] = type, ["message"] = message }));
        }

        private static Task XmlError(HttpContext context, int status, string code, string message)
        {
            context.Response.StatusCode = status;
            context.Response.ContentType = "text/xml";
            return context.Response.WriteAsync(
                "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>Sender</Type>" +
                $"<Code>{code}</Code><Message>{SecurityElement.Escape(message)}</Message></Error><RequestId>{Guid.NewGuid()}</RequestId></ErrorResponse>");
        }

        public ValueTask DisposeAsync() => _server?.DisposeAsync() ?? default;
    }

    public sealed record FakeAwsUser(string AccessKeyId, string SecretAccessKey, string Account, string Arn, string UserId, IReadOnlyCollection<string> AllowedActions);
}
