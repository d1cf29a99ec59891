/**
 * The document's system codes (§5.1) with their messages verbatim, and the HTTP status this
 * project decided for each (spec README §3).
 */

export interface SystemCode {
  status: number;
  message: string;
}

export const SYSTEM_CODES: Readonly<Record<string, SystemCode>> = {
  SYSCD02001: { status: 400, message: '필수헤더 정보가 존재하지 않습니다.' },
  SYSCD02101: { status: 400, message: '스키마 검증을 실패 하였습니다.' },
  SYSCD02102: { status: 400, message: '코드 인젝션 검증을 실패 하였습니다.' },
  SYSCD02103: { status: 400, message: 'SQL 인젝션 검증을 실패 하였습니다.' },
  SYSCD02901: { status: 404, message: '요청한 서비스를 찾을 수 없습니다.' },
  SYSCD03001: { status: 401, message: '토큰 검증 오류로 인증에 실패 하였습니다.' },
  SYSCD03002: { status: 401, message: '해시값 검증 오류로 인증에 실패 하였습니다.' },
  SYSCD03003: { status: 401, message: '클라이언트 인증에 실패 하였습니다.' },
  SYSCD03101: { status: 429, message: '초당 처리 건수를 초과 하였습니다.' },
  SYSCD03102: { status: 429, message: '최대 호출 허용 건수를 초과 하였습니다.' },
  SYSCD03201: { status: 500, message: '데이터 변환시 오류가 발생하였습니다.' },
  SYSCD03901: { status: 502, message: '라우팅을 실패하였습니다.' },
  SYSCD09999: { status: 500, message: '게이트웨이 내부 오류' },
  SYSCD01000: { status: 400, message: '필수입력값이 누락되었습니다.' },
  SYSCD01001: { status: 400, message: '복호화시 에러가 발생하였습니다.' },
  SYSCD01002: { status: 500, message: '전문 처리중 에러가 발생하였습니다.' },
  SYSCD01003: { status: 504, message: '타웃아웃이 발생하였습니다.' },
  SYSCD01004: { status: 400, message: '필수 헤더값이 존재하지 않습니다.' },
  SYSCD01005: { status: 400, message: 'JSON 데이터 포맷 에러가 발생하였습니다.' },
  SYSCD01006: { status: 400, message: '입력값이 올바르지 않습니다.' },
  SYSCD01007: { status: 500, message: '암호화시 에러가 발생하였습니다.' },
  SYSCD01008: { status: 400, message: '자릿수가 올바르지 않습니다.' },
  SYSCD01009: { status: 400, message: 'Param/Query 데이터 포맷 에러.' },
  SYSCD01999: { status: 500, message: '서버 에러' },
};

export function isSystemCode(code: string): boolean {
  return Object.prototype.hasOwnProperty.call(SYSTEM_CODES, code);
}
