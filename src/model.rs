//! The project file, format version 1: one Rust model that is the single source of truth.
//!
//! serde + schemars derive from these types the JSON Schema that editors use (`yimi schema`);
//! [`crate::types`] derives from that schema the type tree that validates input and that rule
//! paths are type-checked against. Every doc comment is one paragraph, `中文 / English`: it
//! becomes the field's description in the schema, in `yimi init` templates and in messages.
//! Quantities carry their unit in `x-unit` (see [`crate::units`]).
//!
//! Every field except the format version and the project's identity is optional: missing is not
//! zero, and a rule that needs a missing value reports it as missing evidence.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::date::Date;

/// What a jurisdiction path looks like: `CN`, then `/`-separated names in Latin letters.
pub const JURISDICTION_PATTERN: &str = r"^CN(/[A-Za-z][A-Za-z0-9-]*)*$";

/// 儿童影响评价项目文件 / A project file for children's impact assessment.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "yimi project file, format version 1")]
pub struct ProjectFile {
    /// 文件格式版本,目前为 1 / Format version of this file; currently 1.
    #[schemars(range(min = 1, max = 1))]
    pub yimi: u32,
    /// 项目基本信息 / What is being assessed.
    pub project: Project,
    /// 用地 / The site.
    pub site: Option<Site>,
    /// 服务人口 / The population served.
    pub population: Option<Population>,
    /// 项目提供的设施,每项一条 / Facilities the project provides, one entry each.
    pub facilities: Option<Vec<Facility>>,
    /// 建筑(公共场所、商业、交通枢纽、医院等) / The building, for public venues, commercial buildings, transport hubs, hospitals and the like.
    pub building: Option<Building>,
    /// 学校信息(学校、幼儿园项目) / School details, for school and kindergarten projects.
    pub school: Option<School>,
    /// 医疗机构信息 / Hospital or health-centre details.
    pub hospital: Option<Hospital>,
    /// 公园绿地信息 / Park details.
    pub park: Option<Park>,
    /// 城市更新信息 / Urban-renewal details.
    pub renewal: Option<Renewal>,
    /// 周边环境:校门、道路、风险源 / Surroundings: school gates, roads and hazards near where children gather.
    pub surroundings: Option<Surroundings>,
    /// 儿童参与:决策前听取儿童及监护人意见的记录 / Children's participation: records of hearing children and guardians before the decision.
    pub participation: Option<Vec<Participation>>,
    /// 在案的证明材料 / Evidence documents on file.
    pub evidence: Option<Vec<Evidence>>,
    /// 规划或政策文件的内容(规划、政策类提交) / What a plan or policy contains, for plan and policy submissions.
    pub plan: Option<Plan>,
    /// 规划承诺的指标 / Indicators the plan commits to.
    pub targets: Option<Vec<Target>>,
    /// 经批准的豁免 / Approved waivers of rules.
    pub waivers: Option<Vec<Waiver>>,
}

/// 项目基本信息 / What is being assessed.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Project {
    /// 项目编号 / The project's id, as the authority files it.
    #[schemars(length(min = 1))]
    pub id: String,
    /// 项目名称 / The project's name.
    pub name: Option<String>,
    /// 项目类型 / The kind of project, plan or policy.
    pub kind: ProjectKind,
    /// 所处阶段 / The stage the project is in.
    pub stage: Option<Stage>,
    /// 所在行政区划路径,如 CN/SH/Pudong;决定适用的规则包 / Jurisdiction path such as CN/SH/Pudong; it selects the rule packs that apply.
    #[schemars(regex(pattern = JURISDICTION_PATTERN))]
    pub jurisdiction: Option<String>,
    /// 是否为重大规划、政策或项目 / Whether this is a major plan, policy or project (重大规划/政策/项目).
    pub major: Option<bool>,
    /// 是否涉及儿童 / Whether the matter concerns children (涉及儿童的重大事项).
    pub concerns_children: Option<bool>,
    /// 决策日期 / The date the decision is to be taken.
    pub decision_date: Option<Date>,
    /// 是否新建(否则为改扩建) / Whether this is a new build (otherwise an extension or renovation).
    pub new_build: Option<bool>,
    /// 建设单位或起草部门 / The applicant: developer, or the agency drafting a plan or policy.
    pub applicant: Option<String>,
    /// 点名项目所在的片区或地点(如 解放碑—朝天门商圈) / Named places the project lies in or is, as plans name them (e.g. a named park or business district).
    pub named_places: Option<Vec<String>>,
}

/// 项目类型 / The kind of project, plan or policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ProjectKind {
    /// 居住区 / Residential district.
    Residential,
    /// 城市更新、老旧小区改造 / Urban renewal or renovation of an old residential community.
    UrbanRenewal,
    /// 托育机构 / Childcare centre for children under 3.
    Childcare,
    /// 幼儿园 / Kindergarten.
    Kindergarten,
    /// 中小学 / Primary or secondary school.
    School,
    /// 医院、妇幼保健院 / Hospital or maternal and child health hospital.
    Hospital,
    /// 社区卫生服务中心 / Community health centre.
    HealthCentre,
    /// 公园绿地 / Park or public green space.
    Park,
    /// 图书馆、文化馆、博物馆等公共文化场馆 / Public cultural venue: library, cultural centre, museum and the like.
    PublicVenue,
    /// 体育场馆 / Sports venue.
    SportsVenue,
    /// 商场、商圈 / Shopping centre or commercial district.
    Commercial,
    /// 街区、道路、慢行系统 / Street, road or walking network.
    Street,
    /// 交通枢纽 / Transport hub.
    TransportHub,
    /// 应急避难场所 / Emergency shelter.
    EmergencyShelter,
    /// 景区 / Scenic area.
    ScenicArea,
    /// 儿童福利、救助保护机构 / Child welfare or protection institution.
    WelfareInstitution,
    /// 社区服务综合体、儿童之家 / Community service centre or children's home.
    CommunityCentre,
    /// 规划 / Plan.
    Plan,
    /// 政策 / Policy.
    Policy,
}

/// 项目阶段 / Project stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// 立项 / Proposal.
    Proposal,
    /// 规划 / Planning.
    Planning,
    /// 设计 / Design.
    Design,
    /// 审批 / Approval.
    Approval,
    /// 施工 / Construction.
    Construction,
    /// 竣工验收 / Acceptance on completion.
    Acceptance,
    /// 运营 / Operation.
    Operation,
}

/// 用地 / The site.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Site {
    /// 地块名称 / Name of the site or plot.
    pub name: Option<String>,
    /// 用地面积 / Site area.
    #[schemars(range(min = 0), extend("x-unit" = "m2"))]
    pub area_m2: Option<f64>,
    /// 绿地面积 / Green area on the site.
    #[schemars(range(min = 0), extend("x-unit" = "m2"))]
    pub green_area_m2: Option<f64>,
    /// 总建筑面积 / Total floor area.
    #[schemars(range(min = 0), extend("x-unit" = "m2"))]
    pub floor_area_m2: Option<f64>,
    /// 儿童户外活动场地面积 / Outdoor area for children's activities.
    #[schemars(range(min = 0), extend("x-unit" = "m2"))]
    pub children_outdoor_area_m2: Option<f64>,
}

/// 服务人口 / The population served.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Population {
    /// 常住人口 / Resident population.
    #[schemars(extend("x-unit" = "persons"))]
    pub residents: Option<u32>,
    /// 户数 / Households.
    pub households: Option<u32>,
    /// 儿童人数(按年龄段) / Children, by age band.
    pub children: Option<Children>,
}

/// 儿童人数(按年龄段) / Children, by age band.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Children {
    /// 0–3 岁 / Aged 0 to 3.
    #[schemars(extend("x-unit" = "persons"))]
    pub age_0_3: Option<u32>,
    /// 3–6 岁 / Aged 3 to 6.
    #[schemars(extend("x-unit" = "persons"))]
    pub age_3_6: Option<u32>,
    /// 6–12 岁 / Aged 6 to 12.
    #[schemars(extend("x-unit" = "persons"))]
    pub age_6_12: Option<u32>,
    /// 12–18 岁 / Aged 12 to 18.
    #[schemars(extend("x-unit" = "persons"))]
    pub age_12_18: Option<u32>,
    /// 残疾儿童 / Children with disabilities.
    #[schemars(extend("x-unit" = "persons"))]
    pub disabled: Option<u32>,
}

/// 设施 / A facility the project provides.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Facility {
    /// 设施编号 / The facility's id within this file.
    pub id: Option<String>,
    /// 设施类型 / The kind of facility.
    pub kind: FacilityKind,
    /// 设施名称 / The facility's name.
    pub name: Option<String>,
    /// 托位或学位数 / Places (childcare places, school places).
    #[schemars(extend("x-unit" = "places"))]
    pub places: Option<u32>,
    /// 床位数 / Beds.
    #[schemars(extend("x-unit" = "beds"))]
    pub beds: Option<u32>,
    /// 面积(场地或房间) / Area of the space or room.
    #[schemars(range(min = 0), extend("x-unit" = "m2"))]
    pub area_m2: Option<f64>,
    /// 建筑面积 / Floor area.
    #[schemars(range(min = 0), extend("x-unit" = "m2"))]
    pub floor_area_m2: Option<f64>,
    /// 户外场地面积 / Outdoor area.
    #[schemars(range(min = 0), extend("x-unit" = "m2"))]
    pub outdoor_area_m2: Option<f64>,
    /// 从服务范围最远住户的步行距离 / Walking distance from the farthest home served.
    #[schemars(range(min = 0), extend("x-unit" = "m"))]
    pub walking_distance_m: Option<f64>,
    /// 是否与住宅同步验收、同步交付使用 / Whether it is accepted and handed over together with the housing (同步验收、同步交付).
    pub delivered_with_housing: Option<bool>,
    /// 交付使用日期 / Date it is handed over for use.
    pub delivery_date: Option<Date>,
    /// 是否普惠性 / Whether it is inclusive (普惠性, affordable public provision).
    pub inclusive: Option<bool>,
    /// 是否向公众开放 / Whether it is open to the public.
    pub public: Option<bool>,
    /// 是否无障碍 / Whether it is barrier-free.
    pub barrier_free: Option<bool>,
    /// 适用年龄段,如 "0-3" / Age groups served, such as "0-3".
    pub age_groups: Option<Vec<String>>,
    /// 配备人员 / Staff.
    pub staff: Option<Staff>,
}

/// 设施类型 / Kind of facility.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum FacilityKind {
    /// 托育机构、托育点 / Childcare centre for children under 3.
    ChildcareCentre,
    /// 社区托育点(宝宝屋) / Community childcare point ("宝宝屋").
    CommunityChildcarePoint,
    /// 幼儿园 / Kindergarten.
    Kindergarten,
    /// 小学 / Primary school.
    PrimarySchool,
    /// 初中 / Middle school.
    MiddleSchool,
    /// 儿童之家 / Children's home (儿童之家) in a community.
    ChildrenHome,
    /// 儿童活动中心、少年宫 / Children's activity centre.
    ChildrenActivityCentre,
    /// 社区卫生服务中心 / Community health centre.
    CommunityHealthCentre,
    /// 儿童活动场地 / Children's play area.
    PlayArea,
    /// 儿童体育运动场地 / Children's sports ground.
    SportsGround,
    /// 母婴室 / Mother-and-baby room.
    MotherBabyRoom,
    /// 第三卫生间(家庭卫生间) / Family toilet (第三卫生间).
    FamilyToilet,
    /// 儿童厕位 / Child-sized toilet.
    ChildToilet,
    /// 儿童洗手池 / Child-height hand-wash basin.
    ChildHandwash,
    /// 资源教室 / Resource room for special education.
    ResourceRoom,
    /// 心理健康辅导室 / Counselling room.
    CounsellingRoom,
    /// 儿童阅览室、少儿图书馆 / Children's reading room or library.
    ChildrenReadingRoom,
    /// 公共电子阅览室 / Public e-reading room.
    PublicEReadingRoom,
    /// 儿童专用急救设施设备 / First-aid equipment for children.
    ChildFirstAid,
    /// 家庭教育指导服务站 / Family-education guidance station.
    FamilyEducationStation,
    /// 休闲游步道 / Walking trail.
    WalkingTrail,
    /// 自行车道 / Cycle path.
    CyclePath,
    /// 自然体验点 / Nature-experience spot.
    NatureExperience,
    /// 科普研学馆 / Science-learning hall.
    ScienceLearning,
    /// 儿童友好服务驿站、休憩点 / Rest stop or service post for families.
    FamilyRestStop,
    /// 接送等候区 / Pick-up and waiting area outside a school.
    PickUpArea,
    /// 其他 / Something else.
    Other,
}

/// 设施配备人员 / Staff of a facility.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Staff {
    /// 专业从事儿童保健的医生 / Doctors working in child health care.
    #[schemars(extend("x-unit" = "persons"))]
    pub child_health_doctors: Option<u32>,
    /// 儿科执业(助理)医师 / Paediatric (assistant) physicians.
    #[schemars(extend("x-unit" = "persons"))]
    pub paediatricians: Option<u32>,
    /// 特教教师 / Special-education teachers.
    #[schemars(extend("x-unit" = "persons"))]
    pub special_ed_teachers: Option<u32>,
    /// 心理健康教师 / Mental-health teachers or counsellors.
    #[schemars(extend("x-unit" = "persons"))]
    pub counsellors: Option<u32>,
    /// 保育、照护人员 / Carers.
    #[schemars(extend("x-unit" = "persons"))]
    pub carers: Option<u32>,
}

/// 建筑 / The building.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Building {
    /// 建筑面积 / Floor area.
    #[schemars(range(min = 0), extend("x-unit" = "m2"))]
    pub floor_area_m2: Option<f64>,
    /// 日均客流 / Average daily visitors.
    #[schemars(extend("x-unit" = "persons"))]
    pub daily_visitors: Option<u32>,
    /// 无障碍设施是否完备 / Whether barrier-free access is complete.
    pub barrier_free: Option<bool>,
    /// 是否有适儿化标识系统 / Whether signage is designed for children (适儿化标识).
    pub child_friendly_signage: Option<bool>,
    /// 安防监控是否覆盖儿童活动区域、无盲点 / Whether security cameras cover the areas children use, with no blind spots.
    pub cctv_covers_children_areas: Option<bool>,
    /// 室内是否全面禁烟 / Whether the building is entirely smoke-free.
    pub smoke_free: Option<bool>,
}

/// 学校信息 / School details.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct School {
    /// 在校学生 / Students enrolled.
    #[schemars(extend("x-unit" = "persons"))]
    pub students: Option<u32>,
    /// 招收的残疾学生 / Students with disabilities enrolled.
    #[schemars(extend("x-unit" = "persons"))]
    pub disabled_students: Option<u32>,
    /// 特教教师 / Special-education teachers.
    #[schemars(extend("x-unit" = "persons"))]
    pub special_ed_teachers: Option<u32>,
    /// 心理健康教师 / Mental-health teachers.
    #[schemars(extend("x-unit" = "persons"))]
    pub mental_health_teachers: Option<u32>,
    /// 是否设心理健康辅导室 / Whether there is a counselling room.
    pub psych_counselling_room: Option<bool>,
    /// 是否提供课后服务 / Whether after-school services are offered.
    pub after_school_service: Option<bool>,
    /// 是否建立家长学校 / Whether a parents' school is set up.
    pub parent_school: Option<bool>,
    /// 每学期安全教育主题活动次数 / Safety-education sessions per term.
    pub safety_sessions_per_term: Option<u32>,
    /// 体育场地是否向社会开放 / Whether sports grounds are open to the public.
    pub sports_grounds_open: Option<bool>,
}

/// 医疗机构信息 / Hospital or health-centre details.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Hospital {
    /// 儿科床位 / Paediatric beds.
    #[schemars(extend("x-unit" = "beds"))]
    pub paediatric_beds: Option<u32>,
    /// 儿科执业(助理)医师 / Paediatric (assistant) physicians.
    #[schemars(extend("x-unit" = "persons"))]
    pub paediatricians: Option<u32>,
    /// 专业从事儿童保健的医生 / Doctors working in child health care.
    #[schemars(extend("x-unit" = "persons"))]
    pub child_health_doctors: Option<u32>,
    /// 是否有儿童友好就医环境设计 / Whether the care environment is designed for children.
    pub child_friendly_environment: Option<bool>,
}

/// 公园绿地信息 / Park details.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Park {
    /// 公园类别 / Category of park.
    pub category: Option<ParkCategory>,
}

/// 公园类别 / Category of park.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ParkCategory {
    /// 综合公园 / City or district park.
    Comprehensive,
    /// 社区公园 / Community park.
    Community,
    /// 口袋公园、街头游园 / Pocket park or street garden.
    Pocket,
    /// 郊野公园 / Country park.
    Country,
    /// 体育公园 / Sports park.
    Sports,
    /// 专类公园 / Theme park or specialised park.
    Specialised,
    /// 防护绿地 / Protective green belt (not for public use).
    ProtectiveGreen,
}

/// 城市更新信息 / Urban-renewal details.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Renewal {
    /// 更新类型 / Kind of renewal.
    pub kind: Option<RenewalKind>,
}

/// 城市更新类型 / Kind of urban renewal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RenewalKind {
    /// 老旧小区改造 / Renovation of an old residential community.
    OldCommunity,
    /// 街区更新 / Street or block renewal.
    Block,
    /// 公共空间微更新 / Small-scale renewal of public space.
    PublicSpace,
    /// 工业区、商业区更新 / Renewal of an industrial or commercial area.
    Industrial,
}

/// 周边环境 / Surroundings.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Surroundings {
    /// 校门及其临近道路 / School gates and the roads they open onto.
    pub school_gates: Option<Vec<SchoolGate>>,
    /// 儿童聚集场所周边的风险源 / Hazards near where children gather.
    pub hazards: Option<Vec<Hazard>>,
}

/// 校门 / A school gate.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SchoolGate {
    /// 临近道路名称 / The road the gate opens onto.
    pub road: Option<String>,
    /// 道路等级 / Class of that road.
    pub road_class: Option<RoadClass>,
    /// 限速 / Speed limit.
    #[schemars(range(min = 0), extend("x-unit" = "km/h"))]
    pub speed_limit_kmh: Option<f64>,
    /// 交通稳静化措施 / Traffic-calming measures in place.
    pub traffic_calming: Option<Vec<TrafficCalming>>,
    /// 50 米内是否有人行横道 / Whether there is a pedestrian crossing within 50 m.
    pub crosswalk_within_50m: Option<bool>,
    /// 是否设接送等候区 / Whether there is a pick-up and waiting area.
    pub pick_up_area: Option<bool>,
}

/// 道路等级 / Road class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RoadClass {
    /// 快速路 / Expressway.
    Expressway,
    /// 主干路 / Arterial road.
    Arterial,
    /// 次干路 / Secondary road.
    Secondary,
    /// 支路 / Branch road.
    Branch,
    /// 街坊路、小区道路 / Local street.
    Local,
}

/// 交通稳静化措施 / Traffic-calming measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TrafficCalming {
    /// 减速带 / Speed hump.
    SpeedHump,
    /// 抬高式人行横道 / Raised crossing.
    RaisedCrossing,
    /// 车道收窄 / Lane narrowing.
    LaneNarrowing,
    /// 彩色铺装、警示标线 / Coloured surfacing and warning markings.
    WarningMarkings,
    /// 学校区域限速标志 / School-zone speed signs.
    SchoolZoneSigns,
    /// 爱心斑马线、护学岗 / Guarded crossing ("爱心斑马线", crossing guards).
    GuardedCrossing,
}

/// 风险源 / A hazard near where children gather.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Hazard {
    /// 风险类型 / Kind of hazard.
    pub kind: HazardKind,
    /// 与儿童活动场所的距离 / Distance from where children gather.
    #[schemars(range(min = 0), extend("x-unit" = "m"))]
    pub distance_m: Option<f64>,
    /// 是否已采取防护措施 / Whether protection is in place.
    pub mitigated: Option<bool>,
}

/// 风险类型 / Kind of hazard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum HazardKind {
    /// 开放水体 / Open water.
    Water,
    /// 加油站、危险品 / Filling station or dangerous goods.
    DangerousGoods,
    /// 施工工地 / Construction site.
    Construction,
    /// 高压线、变电站 / Power line or substation.
    Power,
    /// 网吧、娱乐场所 / Internet café or entertainment venue.
    Entertainment,
    /// 其他 / Something else.
    Other,
}

/// 儿童参与记录 / A record of hearing children and guardians.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Participation {
    /// 日期 / Date.
    pub date: Option<Date>,
    /// 方式 / Method.
    pub method: Option<ParticipationMethod>,
    /// 参与儿童人数 / Children who took part.
    #[schemars(extend("x-unit" = "persons"))]
    pub children: Option<u32>,
    /// 儿童年龄范围,如 "8-14" / Ages of the children, such as "8-14".
    pub ages: Option<String>,
    /// 参与的监护人人数 / Guardians who took part.
    #[schemars(extend("x-unit" = "persons"))]
    pub guardians: Option<u32>,
    /// 是否公开反馈意见采纳情况 / Whether a response to what was said was published.
    pub response_published: Option<bool>,
    /// 主题 / Topic.
    pub topic: Option<String>,
}

/// 参与方式 / Method of participation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ParticipationMethod {
    /// 工作坊 / Workshop.
    Workshop,
    /// 问卷调查 / Survey.
    Survey,
    /// 听证会、座谈会 / Hearing or panel discussion.
    Hearing,
    /// 访谈 / Interviews.
    Interview,
    /// 儿童议事会、红领巾理事会 / Children's council.
    ChildrenCouncil,
    /// 现场踏勘 / Site visit with children.
    SiteVisit,
    /// 其他 / Something else.
    Other,
}

/// 证明材料 / An evidence document on file.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Evidence {
    /// 材料类型 / Kind of document.
    pub kind: EvidenceKind,
    /// 标题 / Title.
    pub title: Option<String>,
    /// 日期 / Date.
    pub date: Option<Date>,
    /// 出具单位 / Issued by.
    pub issuer: Option<String>,
    /// 声明遵循的导则或标准名称(kind 为 guideline_compliance 时) / The guideline or standard complied with, for `guideline_compliance`.
    pub guideline: Option<String>,
}

/// 证明材料类型 / Kind of evidence document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum EvidenceKind {
    /// 儿童影响评价报告 / Children's impact assessment report.
    ChildImpactAssessment,
    /// 儿童参与报告 / Report on children's participation.
    ParticipationReport,
    /// 遵循导则、标准的声明 / Statement of compliance with a named guideline or standard.
    GuidelineCompliance,
    /// 安全评估 / Safety assessment.
    SafetyAssessment,
    /// 交通影响评价 / Traffic impact assessment.
    TrafficAssessment,
    /// 无障碍审查 / Accessibility review.
    AccessibilityReview,
    /// 环境影响评价 / Environmental impact assessment.
    EnvironmentalAssessment,
    /// 其他 / Something else.
    Other,
}

/// 规划或政策文件的内容 / What a plan or policy contains.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Plan {
    /// 规划层级 / Level of the plan.
    pub level: Option<PlanLevel>,
    /// 规划类型 / Type of plan.
    pub plan_type: Option<PlanType>,
    /// 规划期末年份 / Last year of the plan period.
    pub horizon_year: Option<u32>,
    /// 文件包含的内容 / What the document contains.
    pub contents: Option<Vec<PlanContent>>,
    /// 为儿童服务设施预留的用地面积 / Land reserved for children's facilities.
    #[schemars(range(min = 0), extend("x-unit" = "m2"))]
    pub children_facility_land_m2: Option<f64>,
}

/// 规划层级 / Level of a plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PlanLevel {
    /// 省级 / Province.
    Province,
    /// 市级 / City.
    City,
    /// 区县级 / District or county.
    District,
    /// 街道乡镇级 / Sub-district or town.
    Subdistrict,
}

/// 规划类型 / Type of plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PlanType {
    /// 国民经济和社会发展规划 / Economic and social development plan (e.g. 十五五).
    Development,
    /// 国土空间规划 / Territorial spatial plan.
    Spatial,
    /// 专项规划 / Sector plan (education, health, transport …).
    Sector,
    /// 儿童发展规划、儿童友好行动计划 / Children's development plan or child-friendly action plan.
    Children,
}

/// 规划或政策包含的内容 / Something a plan or policy contains.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PlanContent {
    /// 儿童友好专章专节 / A chapter or section on child-friendliness.
    ChildFriendlyChapter,
    /// 儿童服务设施用地 / Land for children's facilities.
    ChildrenFacilityLand,
    /// 儿童影响评价机制 / A children's impact assessment mechanism.
    ChildImpactAssessment,
    /// 儿童参与机制 / A mechanism for children's participation.
    ChildParticipation,
    /// 监测评估 / Monitoring and evaluation.
    MonitoringEvaluation,
    /// 经费保障 / Funding.
    Funding,
    /// 儿童友好项目库 / A list of child-friendly projects.
    ProjectList,
}

/// 规划承诺的指标 / An indicator a plan commits to.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Target {
    /// 指标编号(见 `yimi rules list`) / Indicator id, as the rule packs declare them.
    pub indicator: String,
    /// 目标值,按指标的单位 / Target value, in the indicator's unit.
    pub value: f64,
    /// 目标年份 / Year by which the value is to be reached.
    #[schemars(range(min = 2000, max = 2100))]
    pub year: u32,
}

/// 经批准的豁免 / An approved waiver of a rule.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Waiver {
    /// 被豁免的规则编号 / The rule waived.
    pub rule: String,
    /// 理由 / Why.
    #[schemars(length(min = 1))]
    pub reason: String,
    /// 批准机关 / Approved by.
    pub approved_by: Option<String>,
    /// 批准日期 / Date of approval.
    pub approved_on: Option<Date>,
    /// 失效日期 / Date it expires.
    pub expires: Option<Date>,
}
