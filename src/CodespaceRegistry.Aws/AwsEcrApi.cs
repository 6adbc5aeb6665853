using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Auth;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using CodespaceRegistry.Ecr;

namespace CodespaceRegistry.Aws
{
    /// <summary>
    /// <see cref="IEcrApi"/> over the AWS SDK. There is no AWSSDK.ECR here, so GetAuthorizationToken is sent as
    /// the AWS JSON 1.1 request the ECR service model defines (POST / with X-Amz-Target) and signed with
    /// AWSSDK.Core's SigV4 signer; GetCallerIdentity goes through AWSSDK.SecurityToken's client.
    /// </summary>
    public sealed class AwsEcrApi : IEcrApi
    {
        private const string JsonContentType = "application/x-amz-json-1.1";

        private static readonly HttpClient Http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };

        public async Task<EcrAuthorization> GetAuthorizationTokenAsync(AwsEndpoint endpoint, AwsAccessKey key, DateTimeOffset signedAt, CancellationToken cancellationToken)
        {
            var isPublic = endpoint.Service == AwsService.EcrPublic;
            var target = (isPublic ? "SpencerFrontendService" : "AmazonEC2ContainerRegistry_V20150921") + ".GetAuthorizationToken";
            var body = Encoding.UTF8.GetBytes("{}");

            var request = new DefaultRequest(new SignedRequest(), isPublic ? "ECR PUBLIC" : "ECR")
            {
                HttpMethod = "POST",
                Endpoint = endpoint.Url,
                ResourcePath = "/",
                Content = body,
                AuthenticationRegion = endpoint.Region,
            };
            request.Headers["X-Amz-Target"] = target;
            request.Headers["Content-Type"] = JsonContentType;
            // The signer reads only the signing name and region from the client config; no ECR client exists here.
            var config = new AmazonSecurityTokenServiceConfig { AuthenticationServiceName = endpoint.SigningName, AuthenticationRegion = endpoint.Region };
            var signature = new AWS4Signer().SignRequest(request, config, null, key.AccessKeyId, key.SecretAccessKey, signedAt.UtcDateTime);

            using var message = new HttpRequestMessage(HttpMethod.Post, new Uri(endpoint.Url, "/"));
            foreach (var header in request.Headers)
            {
                if (string.Equals(header.Key, "Content-Type", StringComparison.OrdinalIgnoreCase) ||
                    string.Equals(header.Key, "host", StringComparison.OrdinalIgnoreCase)) continue;
                message.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
            message.Headers.TryAddWithoutValidation("Authorization", signature.ForAuthorizationHeader);
            message.Content = new ByteArrayContent(body);
            message.Content.Headers.TryAddWithoutValidation("Content-Type", JsonContentType);

            using var response = await Http.SendAsync(message, cancellationToken).ConfigureAwait(false);
            var text = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
            if (!response.IsSuccessStatusCode) throw JsonError(endpoint.Service, (int)response.StatusCode, text);
            return ParseAuthorization(endpoint.Service, text);
        }

        public async Task<AwsCallerIdentity> GetCallerIdentityAsync(AwsEndpoint endpoint, AwsAccessKey key, CancellationToken cancellationToken)
        {
            var config = new AmazonSecurityTokenServiceConfig
            {
                ServiceURL = endpoint.Url.ToString(),
                AuthenticationRegion = endpoint.Region,
                MaxErrorRetry = 1,
            };
            using var client = new AmazonSecurityTokenServiceClient(new BasicAWSCredentials(key.AccessKeyId, key.SecretAccessKey), config);
            try
            {
                var identity = await client.GetCallerIdentityAsync(new GetCallerIdentityRequest(), cancellationToken).ConfigureAwait(false);
                return new AwsCallerIdentity(identity.Account, identity.Arn, identity.UserId);
            }
            catch (AmazonServiceException e) when (!string.IsNullOrEmpty(e.ErrorCode))
            {
                throw new AwsApiException(AwsService.Sts, e.ErrorCode, (int)e.StatusCode, e.Message, e);
            }
        }

        /// <summary>ECR returns authorizationData as a list; ECR Public as one object. expiresAt is epoch seconds with a fraction.</summary>
        private static EcrAuthorization ParseAuthorization(AwsService service, string json)
        {
            try
            {
                using var doc = JsonDocument.Parse(json);
                var data = doc.RootElement.GetProperty("authorizationData");
                if (data.ValueKind == JsonValueKind.Array)
                {
                    if (data.GetArrayLength() == 0) throw new AwsApiException(service, "EmptyAuthorizationData", 200, "the response carried no authorizationData.");
                    data = data[0];
                }
                var token = data.GetProperty("authorizationToken").GetString() ?? "";
                var expiresAt = EpochSeconds(data.GetProperty("expiresAt").GetDouble());
                var proxy = data.TryGetProperty("proxyEndpoint", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
                return new EcrAuthorization(token, expiresAt, proxy);
            }
            catch (Exception e) when (e is JsonException || e is KeyNotFoundException || e is InvalidOperationException || e is FormatException || e is ArgumentException)
            {
                throw new AwsApiException(service, "MalformedResponse", 200, "the response is not the GetAuthorizationToken output shape.", e);
            }
        }

        /// <summary>An AWS JSON 1.1 error: <c>__type</c> (possibly prefixed with a namespace and '#') and <c>message</c>.</summary>
        private static AwsApiException JsonError(AwsService service, int status, string json)
        {
            var code = "HttpStatus" + status;
            var message = "";
            try
            {
                using var doc = JsonDocument.Parse(json);
                if (doc.RootElement.TryGetProperty("__type", out var type) && type.GetString() is string t) code = t.Substring(t.LastIndexOf('#') + 1);
                if (doc.RootElement.TryGetProperty("message", out var m) || doc.RootElement.TryGetProperty("Message", out m)) message = m.GetString() ?? "";
            }
            catch (JsonException)
            {
                message = json.Length > 200 ? json.Substring(0, 200) : json;
            }
            return new AwsApiException(service, code, status, message);
        }

        private static DateTimeOffset EpochSeconds(double seconds) => DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(seconds * 1000));

        /// <summary>The SDK's request type needs an originating request object; this one carries nothing.</summary>
        private sealed class SignedRequest : AmazonWebServiceRequest
        {
        }
    }
}
