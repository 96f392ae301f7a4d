/**
 * The rest mapping of the reference platform (the simulator, gateway/simulator): what
 * `tongban city add --adapter rest` writes as a starting point, one commented YAML block under
 * `adapter:`. Integrators replace the platform names with their platform's (docs/integrators.md).
 */
export function restAdapterYaml(o: {
  baseUrl: string;
  cityId: string;
  pollIntervalMs?: number;
  withAuth?: boolean;
}): string {
  const auth = o.withAuth
    ? `    # Sent with every request; the value is read from the environment, never written here.
    authHeader: { name: X-Xyxf-Token, valueEnv: TONGBAN_${o.cityId}_TOKEN }
`
    : `    # authHeader: { name: X-Xyxf-Token, valueEnv: TONGBAN_${o.cityId}_TOKEN }   # value from the environment
`;
  return `adapter:
  kind: rest          # the city's credit platform, reached through the mapping below (no gateway)
  options:
    baseUrl: ${o.baseUrl}
    pollIntervalMs: ${o.pollIntervalMs ?? 5000}   # how often open delegations' statuses are asked for
    timeoutMs: 10000
    dateFormat: yyyyMMdd              # platform dates (contract: yyyy-MM-dd)
    dateTimeFormat: yyyyMMddHHmmss    # platform date-times, in the city's time zone
${auth}    endpoints:                        # "METHOD /path"; {delegationId} and {uscc} are filled in
      deliver: POST /api/xyxf/sq
      status: GET /api/xyxf/sq/{delegationId}
      materials: POST /api/xyxf/sq/{delegationId}/bzcl
      withdraw: POST /api/xyxf/sq/{delegationId}/ch
      penalties: GET /api/xyxf/cfxx?tyshxydm={uscc}
    response:                         # answers look like { "code": "0000", "msg": "…", "data": … }
      code: code
      ok: ["0000"]
      notFound: ["2001"]
      message: msg
      data: data
    # Contract field (contracts/exchange.v1.yaml, DelegationCreate) → platform field.
    # Every required contract field must be mapped; \`tongban config validate\` checks both ways.
    fields:
      delegationId: ywlsh                                # 业务流水号 (status is asked by it)
      caseId: ajbh                                       # 案件编号
      registrationCity: djcs                             # 登记城市
      company.uscc: tyshxydm                             # 统一社会信用代码
      company.name: qymc                                 # 企业名称
      applicant.name: sqrxm                              # 申请人
      applicant.role: sqrjs
      records[].issuingCity: cfxx[].xzqh                 # 处罚信息 list
      records[].authority: cfxx[].cfjg                   # 处罚机关
      records[].sector: cfxx[].hylb                      # 行业类别 (code list below)
      records[].decisionNo: cfxx[].cfjdsh                # 处罚决定书号
      records[].decisionDate: cfxx[].cfrq                # 处罚日期
      records[].publicityStartDate: cfxx[].gsksrq        # 公示开始日期
      records[].measures[].type: cfxx[].cfzl[].lb        # 处罚种类
      records[].severity: cfxx[].cfjb                    # 处罚级别 (severityCodes)
      records[].fineCny: cfxx[].fkje                     # 罚款金额
      records[].finePaidDate: cfxx[].jnrq                # 缴纳日期
      records[].otherObligationsFulfilled: cfxx[].lxqk   # 其他义务履行情况 ("1"/"0")
      materials[].kind: clqd[].cllx                      # 材料清单
      materials[].fileName: clqd[].wjm
      materials[].sha256: clqd[].hash
      rulesVersion: gzbb
      submittedAt: tjsj                                  # 提交时间
    # Contract Callback field → platform field of the status answer.
    statusFields:
      status: zt                # 状态码 (statusCodes)
      seq: bbh                  # 版本号: a lower one never overwrites a higher one
      at: gxsj                  # 更新时间
      reason: yy                # 原因
      materialsRequested: bzcl  # 补正材料
    materialsFields:
      materials[].kind: clqd[].cllx
      materials[].fileName: clqd[].wjm
      materials[].sha256: clqd[].hash
      note: sm
    withdrawalFields:
      reason: yy
    # Code lists: platform code → contract value (used both ways).
    statusCodes:
      "01": delivered            # 已接收
      "02": accepted             # 已受理
      "03": under_review         # 审核中
      "04": materials_requested  # 待补正
      "05": approved             # 审核通过
      "06": repaired             # 已修复
      "07": rejected             # 不予受理
      "08": denied               # 不予修复
      "09": withdrawn            # 已撤回
    severityCodes: { "1": minor, "2": ordinary, "3": serious }
    codeLists:
      Sector: { "01": market_supervision, "02": transport, "03": fire, "04": environment, "05": tax, "06": emergency_management, "07": urban_management, "99": other }
      MeasureType:
        { "01": fine, "02": warning, "03": public_criticism, "04": confiscation, "05": licence_suspension, "06": licence_revocation,
          "07": business_suspension, "08": business_restriction, "09": occupational_ban, "10": closure, "99": other }
      records[].otherObligationsFulfilled: { "1": true, "0": false }
    probeUscc: "91350100M000100Y43"   # a company with records there, for \`tongban config doctor\`
`;
}
