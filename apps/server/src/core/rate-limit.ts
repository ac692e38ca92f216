/**
 * Rate limits, in process memory by default and in Redis when REDIS_URL is set (so several server
 * nodes share one count).
 */
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { AppError } from './errors.js';

export interface Limiter {
  /** Counts one hit; throws a 429 AppError with Retry-After when the key is over its limit. */
  hit(key: string, message?: string): Promise<void>;
  /** Throws 429 when the key is already over its limit, without counting. */
  check(key: string, message?: string): Promise<void>;
  reset(key: string): Promise<void>;
}

function tooMany(res: RateLimiterRes, message?: string): AppError {
  const seconds = Math.max(1, Math.ceil(res.msBeforeNext / 1000));
  return new AppError('rate_limited', message ?? `Too many attempts; try again in ${seconds} seconds.`, { retry_after: seconds }, {
    'retry-after': String(seconds),
  });
}

/** `name` is the full key prefix of this limiter's counters. */
export function createLimiter(name: string, points: number, durationSeconds: number, redis?: Redis): Limiter {
  const options = { keyPrefix: name, points, duration: durationSeconds };
  const limiter: RateLimiterAbstract = redis
    ? // If Redis goes away, counting carries on in this process instead of failing sign-ins.
      new RateLimiterRedis({ ...options, storeClient: redis, rejectIfRedisNotReady: true, insuranceLimiter: new RateLimiterMemory(options) })
    : new RateLimiterMemory(options);
  return {
    async hit(key, message) {
      try {
        await limiter.consume(key);
      } catch (err) {
        if (err instanceof RateLimiterRes) throw tooMany(err, message);
        throw err;
      }
    },
    async check(key, message) {
      const res = await limiter.get(key);
      if (res && res.consumedPoints >= points) throw tooMany(res, message);
    },
    async reset(key) {
      await limiter.delete(key);
    },
  };
}
